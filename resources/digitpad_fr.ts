<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AppState</name>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="118"/>
        <source>Loading TensorFlow… drawing works already; training will be ready in a moment.</source>
        <translation>Chargement de TensorFlow… le dessin fonctionne déjà ; l&apos;entraînement sera prêt dans un instant.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="232"/>
        <source>Now drawing with {model}.</source>
        <translation>Dessin avec {model}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="243"/>
        <source>{message} Using the shipped default model instead.</source>
        <translation>{message} Le modèle fourni par défaut est utilisé à la place.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="247"/>
        <source>{message} Train a model on the Train tab to start drawing.</source>
        <translation>{message} Entraînez un modèle dans l&apos;onglet Entraîner pour commencer à dessiner.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="268"/>
        <source>Cannot read the model library: {message}</source>
        <translation>Impossible de lire la bibliothèque de modèles : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="275"/>
        <source>{versions} ready: training and evaluation are available.</source>
        <translation>{versions} prêts : l&apos;entraînement et l&apos;évaluation sont disponibles.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="282"/>
        <source>TensorFlow could not be loaded, so training is unavailable: {message}</source>
        <translation>TensorFlow n&apos;a pas pu être chargé, l&apos;entraînement est donc indisponible : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/app_state.py" line="302"/>
        <source>the shipped default model</source>
        <translation>le modèle fourni par défaut</translation>
    </message>
</context>
<context>
    <name>ArchitectureEditor</name>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="67"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="68"/>
        <source>Output shape</source>
        <translation>Forme de sortie</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="69"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="70"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="73"/>
        <source>Filters</source>
        <translation>Filtres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="74"/>
        <source>Kernel size</source>
        <translation>Taille du noyau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="75"/>
        <source>Pool size</source>
        <translation>Taille du pooling</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="76"/>
        <source>Stride</source>
        <translation>Pas</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="77"/>
        <source>Padding</source>
        <translation>Remplissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="78"/>
        <source>Units</source>
        <translation>Unités</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="79"/>
        <source>Activation</source>
        <translation>Activation</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="80"/>
        <source>Rate</source>
        <translation>Taux</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="96"/>
        <source>Measured here: {accuracy} on 2,000 held-out MNIST digits (resources/mnist-validation-2k.npz) after {epochs} epochs on the 9,000 training digits bundled with digitpad (offline MNIST, as the Train tab reads it).</source>
        <translation>Mesuré ici : {accuracy} sur 2 000 chiffres MNIST mis de côté (resources/mnist-validation-2k.npz) après {epochs} époques sur les 9 000 chiffres d&apos;entraînement fournis avec digitpad (MNIST hors ligne, tel que l&apos;onglet Entraîner le lit).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="101"/>
        <source>The course reports {accuracy} on the official MNIST test set after {epochs} epochs.</source>
        <translation>Le cours annonce {accuracy} sur le jeu de test officiel MNIST après {epochs} époques.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="123"/>
        <source>Architecture editor — digitpad</source>
        <translation>Éditeur d&apos;architecture — digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="154"/>
        <location filename="../digitpad/gui/architecture_editor.py" line="309"/>
        <location filename="../digitpad/gui/architecture_editor.py" line="463"/>
        <source>New network</source>
        <translation>Nouveau réseau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="162"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="164"/>
        <source>Name to save it as</source>
        <translation>Nom sous lequel l&apos;enregistrer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="168"/>
        <source>New…</source>
        <translation>Nouveau…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="169"/>
        <source>Start a new network from a preset or from nothing.</source>
        <translation>Commencer un nouveau réseau à partir d&apos;un modèle prédéfini ou de rien.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="173"/>
        <source>From {preset}</source>
        <translation>À partir de {preset}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="174"/>
        <source>Empty</source>
        <translation>Vide</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="198"/>
        <source>Add layer</source>
        <translation>Ajouter une couche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="199"/>
        <source>Insert a layer below the selected one.</source>
        <translation>Insérer une couche sous celle sélectionnée.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="206"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="207"/>
        <source>Move up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="208"/>
        <source>Move down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="219"/>
        <source>LAYER</source>
        <translation>COUCHE</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="221"/>
        <location filename="../digitpad/gui/architecture_editor.py" line="391"/>
        <source>Select a layer to change it.</source>
        <translation>Sélectionnez une couche pour la modifier.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="243"/>
        <source>valid: the window stays inside the image, which shrinks; same: the image is padded with zeros so that, with stride 1, it keeps its size.</source>
        <translation>valid : la fenêtre reste dans l&apos;image, qui rétrécit ; same : l&apos;image est complétée par des zéros pour que, avec un pas de 1, elle garde sa taille.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="258"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="259"/>
        <source>Save as…</source>
        <translation>Enregistrer sous…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="260"/>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="261"/>
        <source>Delete this saved architecture; models trained with it keep their layers.</source>
        <translation>Supprimer cette architecture enregistrée ; les modèles entraînés avec elle gardent leurs couches.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="262"/>
        <source>Use</source>
        <translation>Utiliser</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="263"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="304"/>
        <source>{name} — preset, read-only: edit it to make your own copy</source>
        <translation>{name} — prédéfini, en lecture seule : modifiez-le pour en faire votre propre copie</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="306"/>
        <source>{name} (unsaved changes)</source>
        <translation>{name} (modifications non enregistrées)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="330"/>
        <source>Input (28x28 grey image)</source>
        <translation>Entrée (image en gris 28x28)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="343"/>
        <source>{layers} layers, {params} parameters. No mistakes.</source>
        <translation>{layers} couches, {params} paramètres. Aucune erreur.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="347"/>
        <source>One mistake to fix before saving: {first}</source>
        <translation>Une erreur à corriger avant d&apos;enregistrer : {first}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="348"/>
        <source>{count} mistakes to fix before saving, the first: {first}</source>
        <translation>{count} erreurs à corriger avant d&apos;enregistrer, la première : {first}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="393"/>
        <source>{kind} has nothing to set.</source>
        <translation>{kind} n&apos;a rien à régler.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="419"/>
        <location filename="../digitpad/gui/architecture_editor.py" line="591"/>
        <source>Copy of {name} (unsaved)</source>
        <translation>Copie de {name} (non enregistrée)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="486"/>
        <source>Fix the mistakes shown in red first.</source>
        <translation>Corrigez d&apos;abord les erreurs affichées en rouge.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="488"/>
        <source>Presets are read-only: use Save as… to keep a copy under your own name.</source>
        <translation>Les modèles prédéfinis sont en lecture seule : utilisez Enregistrer sous… pour en garder une copie sous votre propre nom.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="492"/>
        <source>Save as {file}</source>
        <translation>Enregistrer sous {file}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="497"/>
        <source>Train this network: the form selects it.</source>
        <translation>Entraîner ce réseau : le formulaire le sélectionne.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="498"/>
        <source>Save the network first, then use it.</source>
        <translation>Enregistrez d&apos;abord le réseau, puis utilisez-le.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="513"/>
        <source>Save architecture as</source>
        <translation>Enregistrer l&apos;architecture sous</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="514"/>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="515"/>
        <source>My network</source>
        <translation>Mon réseau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="516"/>
        <source>{name} copy</source>
        <translation>copie de {name}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="537"/>
        <source>Replace architecture?</source>
        <translation>Remplacer l&apos;architecture ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="538"/>
        <source>An architecture named {name} exists already. Replace it?</source>
        <translation>Une architecture nommée {name} existe déjà. La remplacer ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="542"/>
        <source>Saving {name}…</source>
        <translation>Enregistrement de {name}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="552"/>
        <source>Saved as {path}</source>
        <translation>Enregistré sous {path}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="559"/>
        <source>Not saved: {reason}</source>
        <translation>Non enregistré : {reason}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="573"/>
        <source>Delete architecture?</source>
        <translation>Supprimer l&apos;architecture ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="574"/>
        <source>Delete the saved architecture {name}?</source>
        <translation>Supprimer l&apos;architecture enregistrée {name} ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/architecture_editor.py" line="592"/>
        <source>Deleted {name}.</source>
        <translation>{name} supprimée.</translation>
    </message>
</context>
<context>
    <name>Architectures</name>
    <message>
        <location filename="../digitpad/core/architectures.py" line="24"/>
        <source>Multilayer perceptron: Flatten, Dense 128 ReLU, Dense 10 softmax (101,770 weights). The fastest to train; a baseline that ignores where strokes are relative to each other.</source>
        <translation>Perceptron multicouche : Flatten, Dense 128 ReLU, Dense 10 softmax (101 770 poids). Le plus rapide à entraîner ; une référence qui ignore la position des traits les uns par rapport aux autres.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/architectures.py" line="29"/>
        <source>Small CNN: Conv 32 3x3, MaxPool, Conv 16 2x2, MaxPool, Dense 128, Dense 64, Dense 10 (85,146 weights). Cheap, and much better than the MLP on shifted strokes.</source>
        <translation>Petit CNN : Conv 32 3x3, MaxPool, Conv 16 2x2, MaxPool, Dense 128, Dense 64, Dense 10 (85 146 poids). Peu coûteux, et bien meilleur que le MLP sur des traits décalés.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/architectures.py" line="34"/>
        <source>digitpad&apos;s CNN for CPUs: Conv 32, Conv 32, MaxPool, Conv 64, Conv 64, MaxPool, Dense 128, Dense 10 (197,482 weights, under 1 MB saved). The most accurate; best with dropout 0.3, batch normalization and augmentation.</source>
        <translation>Le CNN de digitpad pour processeurs : Conv 32, Conv 32, MaxPool, Conv 64, Conv 64, MaxPool, Dense 128, Dense 10 (197 482 poids, moins de 1 Mo enregistré). Le plus précis ; au mieux avec un dropout de 0,3, la normalisation par lots et l&apos;augmentation de données.</translation>
    </message>
</context>
<context>
    <name>Canvas</name>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="56"/>
        <source>Draw a digit here</source>
        <translation>Dessinez un chiffre ici</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="82"/>
        <source>Drawing canvas</source>
        <translation>Zone de dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="83"/>
        <source>Draw a digit with the mouse; it is recognised as you draw.</source>
        <translation>Dessinez un chiffre à la souris ; il est reconnu pendant que vous dessinez.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="234"/>
        <source>The image</source>
        <translation>L&apos;image</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="254"/>
        <source>The clipboard</source>
        <translation>Le presse-papiers</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="324"/>
        <source>The dropped item</source>
        <translation>L&apos;élément déposé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="483"/>
        <source>{what} holds no image or image file.</source>
        <translation>{what} ne contient ni image ni fichier image.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="491"/>
        <source>The image is empty.</source>
        <translation>L&apos;image est vide.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/canvas.py" line="507"/>
        <source>{source} is not a 2-D grayscale or colour image.</source>
        <translation>{source} n&apos;est pas une image 2D en niveaux de gris ou en couleur.</translation>
    </message>
</context>
<context>
    <name>CompareLive</name>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="38"/>
        <source>Draw a digit on the Draw tab: every model reads it here, live.</source>
        <translation>Dessinez un chiffre dans l&apos;onglet Dessiner : chaque modèle le lit ici, en direct.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="39"/>
        <source>Select two or more models in the table (Ctrl+click), then press Compare.</source>
        <translation>Sélectionnez deux modèles ou plus dans le tableau (Ctrl+clic), puis appuyez sur Comparer.</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="103"/>
        <source>error</source>
        <translation>erreur</translation>
    </message>
</context>
<context>
    <name>CompareResults</name>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>Accuracy</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>Params</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>ms/img</source>
        <translation>ms/img</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="19"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="21"/>
        <source>The model</source>
        <translation>Le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="22"/>
        <source>Share of test images classified correctly</source>
        <translation>Part des images de test correctement classées</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="23"/>
        <source>Cross-entropy loss on the test images (lower is better)</source>
        <translation>Perte d&apos;entropie croisée sur les images de test (plus bas, c&apos;est mieux)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="24"/>
        <source>Macro F1: the mean over the ten classes of the harmonic mean of precision and recall</source>
        <translation>F1 macro : la moyenne sur les dix classes de la moyenne harmonique de la précision et du rappel</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="25"/>
        <source>Number of weights</source>
        <translation>Nombre de poids</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="26"/>
        <source>Milliseconds per image for digitpad&apos;s predictor (LiteRT) on this computer</source>
        <translation>Millisecondes par image pour le prédicteur de digitpad (LiteRT) sur cet ordinateur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="27"/>
        <source>Size of the .keras file</source>
        <translation>Taille du fichier .keras</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="41"/>
        <source>Select two or more models in the table (Ctrl+click) and press Compare: watch them read your drawing side by side, measure them on the same test set, and overlay how they learnt.</source>
        <translation>Sélectionnez deux modèles ou plus dans le tableau (Ctrl+clic) et appuyez sur Comparer : regardez-les lire votre dessin côte à côte, mesurez-les sur le même jeu de test et superposez leurs courbes d&apos;apprentissage.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="44"/>
        <source>Choose a test set and press Evaluate to measure every model on the same images.</source>
        <translation>Choisissez un jeu de test et appuyez sur Évaluer pour mesurer chaque modèle sur les mêmes images.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="45"/>
        <source>Evaluation cancelled.</source>
        <translation>Évaluation annulée.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="74"/>
        <source>On your drawing</source>
        <translation>Sur votre dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="87"/>
        <source>Look inside…</source>
        <translation>Examiner…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="90"/>
        <source>Open the selected model&apos;s confusion matrix, gallery of answers and explanations (or double-click a row)</source>
        <translation>Ouvrir la matrice de confusion, la galerie des réponses et les explications du modèle sélectionné (ou double-cliquer sur une ligne)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="94"/>
        <source>Best of each column in green; hover a heading for what it means. Double-click a model to see its every answer.</source>
        <translation>Le meilleur de chaque colonne en vert ; survolez un en-tête pour sa signification. Double-cliquez sur un modèle pour voir toutes ses réponses.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="99"/>
        <source>Where they differ: each cell counts the test images the row&apos;s model gets right and the column&apos;s model gets wrong.</source>
        <translation>Là où ils diffèrent : chaque case compte les images de test que le modèle de la ligne reconnaît et que celui de la colonne manque.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="127"/>
        <source>Validation solid with dots, training dashed; one colour per model.</source>
        <translation>Validation en trait plein avec points, entraînement en pointillés ; une couleur par modèle.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="143"/>
        <source>On a test set</source>
        <translation>Sur un jeu de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="144"/>
        <source>How they learnt</source>
        <translation>Leur apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="159"/>
        <source>Compare models</source>
        <translation>Comparer les modèles</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="196"/>
        <source>No training history stored with: {without}.</source>
        <translation>Aucun historique d&apos;entraînement enregistré avec : {without}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="241"/>
        <source>Reading the test set…</source>
        <translation>Lecture du jeu de test…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="250"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="285"/>
        <source>Compared {names} models on {source}.</source>
        <translation>{names} modèles comparés sur {source}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_view.py" line="290"/>
        <source>Could not evaluate: {message}</source>
        <translation>Évaluation impossible : {message}</translation>
    </message>
</context>
<context>
    <name>ConfusionHeatmap</name>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="34"/>
        <source>Rows: the true class; columns: the model&apos;s answer. Click a cell to see its images.</source>
        <translation>Lignes : la vraie classe ; colonnes : la réponse du modèle. Cliquez sur une case pour voir ses images.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="63"/>
        <source>Confusion matrix</source>
        <translation>Matrice de confusion</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="92"/>
        <source>true class</source>
        <translation>vraie classe</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="92"/>
        <source>the model&apos;s answer</source>
        <translation>réponse du modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="209"/>
        <source> ({percent} % of the {name})</source>
        <translation> ({percent} % des {name})</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="211"/>
        <source>{value} read right</source>
        <translation>{value} bien lus</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="212"/>
        <source>{value} read as {value2}</source>
        <translation>{value} lus comme {value2}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="214"/>
        <source>{verdict}: 1 image{share}.
Click to see it.</source>
        <translation>{verdict} : 1 image{share}.
Cliquez pour la voir.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/confusion_heatmap.py" line="215"/>
        <source>{verdict}: {count} images{share}.
Click to see them.</source>
        <translation>{verdict} : {count} images{share}.
Cliquez pour les voir.</translation>
    </message>
</context>
<context>
    <name>CrossValidationView</name>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="175"/>
        <source>Cross-validate to see how much a recipe&apos;s accuracy owes to the luck of one split.
The training images are dealt into K folds; each is held out once while a new model learns from the others, and the K scores give a mean and its spread.</source>
        <translation>La validation croisée montre ce que la précision d&apos;une recette doit au hasard d&apos;un découpage.
Les images d&apos;entraînement sont réparties en K plis ; chacun est mis de côté une fois pendant qu&apos;un nouveau modèle apprend sur les autres, et les K scores donnent une moyenne et sa dispersion.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="189"/>
        <source>Cross-validation</source>
        <translation>Validation croisée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="199"/>
        <source>Every fold&apos;s model starts from the same weights (the recipe&apos;s seed), so the spread is the data&apos;s. The held-out fold is each model&apos;s validation data: the validation split and early stopping are set aside. ± is the standard deviation over the folds.</source>
        <translation>Le modèle de chaque pli part des mêmes poids (la graine de la recette) : la dispersion vient donc des données. Le pli mis de côté sert de jeu de validation à chaque modèle : la part de validation et l&apos;arrêt anticipé ne s&apos;appliquent pas. ± est l&apos;écart type sur les plis.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="206"/>
        <source>Folds</source>
        <translation>Plis</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="214"/>
        <source>Fold curves: validation (the held-out fold) solid, training dashed</source>
        <translation>Courbes des plis : validation (le pli mis de côté) en trait plein, entraînement en pointillés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="243"/>
        <source>{folds}-fold cross-validation under way: each fold appears here once finished.</source>
        <translation>Validation croisée à {folds} plis en cours : chaque pli apparaît ici une fois terminé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="257"/>
        <source>fold {index}</source>
        <translation>pli {index}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="267"/>
        <source>{fold_count}-fold cross-validation of {name} on {data_name} ({images} training images), {duration_s}</source>
        <translation>Validation croisée à {fold_count} plis de {name} sur {data_name} ({images} images d&apos;entraînement), {duration_s}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="273"/>
        <source>Stopped after {folds} of {fold_count} folds: the mean and spread are those of the finished folds only.</source>
        <translation>Arrêté après {folds} plis sur {fold_count} : la moyenne et la dispersion sont celles des seuls plis terminés.</translation>
    </message>
</context>
<context>
    <name>CrossvalView</name>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="40"/>
        <source>Fold</source>
        <translation>Pli</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="40"/>
        <source>Held out</source>
        <translation>Mis de côté</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="40"/>
        <source>Accuracy</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="40"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="40"/>
        <source>Time</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="46"/>
        <source>accuracy {mean} % ± {std}</source>
        <translation>précision {mean} % ± {std}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="52"/>
        <source>loss {mean} ± {std}</source>
        <translation>perte {mean} ± {std}</translation>
    </message>
    <message>
        <location filename="../digitpad/core/crossval.py" line="43"/>
        <source>Loading the data…</source>
        <translation>Chargement des données…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/crossval.py" line="44"/>
        <source>Label(s) {value} have fewer images than {folds} folds: some folds did not test them.</source>
        <translation>Étiquette(s) {value} : moins d&apos;images que {folds} plis ; certains plis ne les ont pas testées.</translation>
    </message>
</context>
<context>
    <name>DigitGalleryModel</name>
    <message>
        <location filename="../digitpad/gui/digit_gallery.py" line="145"/>
        <source>Kept as {label}, {source}, {when}.</source>
        <translation>Gardé comme {label}, {source}, {when}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digit_gallery.py" line="148"/>
        <source>misread it as</source>
        <translation>le lit à tort comme</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digit_gallery.py" line="148"/>
        <source>reads it as</source>
        <translation>le lit comme</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digit_gallery.py" line="149"/>
        <source>The drawing model {verdict} {value} ({value2}).</source>
        <translation>Le modèle de dessin {verdict} {value} ({value2}).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digit_gallery.py" line="151"/>
        <source>When kept, {model_name} read it as {predicted}.</source>
        <translation>Quand il a été gardé, {model_name} l&apos;a lu comme {predicted}.</translation>
    </message>
</context>
<context>
    <name>DrawTab</name>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="78"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="79"/>
        <source>Keras models (*.keras);;All files (*)</source>
        <translation>Modèles Keras (*.keras);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="80"/>
        <source>Default model (shipped)</source>
        <translation>Modèle par défaut (fourni)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="91"/>
        <source>The steps appear once a model is loaded.</source>
        <translation>Les étapes apparaissent une fois un modèle chargé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="95"/>
        <source>This model reads Fashion-MNIST pictures:
open, drop or paste an image here.
Drawing is for digit models.</source>
        <translation>Ce modèle lit des images Fashion-MNIST :
ouvrez, déposez ou collez une image ici.
Le dessin est réservé aux modèles de chiffres.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="168"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="168"/>
        <source>Undo the last stroke</source>
        <translation>Annuler le dernier trait</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="169"/>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="170"/>
        <location filename="../digitpad/gui/draw_tab.py" line="241"/>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="170"/>
        <source>Clear the canvas</source>
        <translation>Effacer la zone de dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="171"/>
        <source>Paste</source>
        <translation>Coller</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="172"/>
        <source>Paste an image from the clipboard</source>
        <translation>Coller une image du presse-papiers</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="173"/>
        <source>Bigger brush</source>
        <translation>Pinceau plus gros</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="174"/>
        <source>Smaller brush</source>
        <translation>Pinceau plus fin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="175"/>
        <source>Eraser</source>
        <translation>Gomme</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="175"/>
        <source>Erase instead of drawing</source>
        <translation>Gommer au lieu de dessiner</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="178"/>
        <source>Why?</source>
        <translation>Pourquoi ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="179"/>
        <source>Show what made the model give its answer, over the drawing</source>
        <translation>Montrer, sur le dessin, ce qui a conduit le modèle à sa réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="181"/>
        <location filename="../digitpad/gui/draw_tab.py" line="240"/>
        <source>Open image…</source>
        <translation>Ouvrir une image…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="181"/>
        <location filename="../digitpad/gui/draw_tab.py" line="691"/>
        <source>Open an image of a digit</source>
        <translation>Ouvrir l&apos;image d&apos;un chiffre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="182"/>
        <source>Open model…</source>
        <translation>Ouvrir un modèle…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="182"/>
        <source>Draw with a .keras model file</source>
        <translation>Dessiner avec un fichier de modèle .keras</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="183"/>
        <source>Keep as {digit}</source>
        <translation>Garder comme {digit}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="184"/>
        <source>Keep this drawing in My digits as a {digit}</source>
        <translation>Garder ce dessin dans Mes chiffres comme un {digit}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="187"/>
        <source>Keep as the digit asked for</source>
        <translation>Garder comme le chiffre demandé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="188"/>
        <source>In the guided mode, keep the drawing as the digit asked for</source>
        <translation>En mode guidé, garder le dessin comme le chiffre demandé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="221"/>
        <source>Brush size ([ and ])</source>
        <translation>Taille du pinceau ([ et ])</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="229"/>
        <source>Brush</source>
        <translation>Pinceau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="249"/>
        <source>Draw with the mouse  ·  Esc clears  ·  [ ] brush size  ·  drop or paste (Ctrl+V) an image onto the canvas</source>
        <translation>Dessinez à la souris  ·  Échap efface  ·  [ ] taille du pinceau  ·  déposez ou collez (Ctrl+V) une image sur la zone de dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="269"/>
        <source>Model used for drawing</source>
        <translation>Modèle utilisé pour le dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="276"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="288"/>
        <source>Predicted class</source>
        <translation>Classe prédite</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="292"/>
        <location filename="../digitpad/gui/draw_tab.py" line="387"/>
        <source>Draw a digit</source>
        <translation>Dessinez un chiffre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="300"/>
        <source>The 28 by 28 image the model sees</source>
        <translation>L&apos;image 28 sur 28 que voit le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="302"/>
        <source>The 28×28 image the model actually sees: cropped, scaled to 20 px and centred like MNIST, white ink on black.</source>
        <translation>L&apos;image 28×28 que le modèle voit réellement : recadrée, ramenée à 20 px et centrée comme MNIST, encre blanche sur fond noir.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="308"/>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="314"/>
        <source>What the model sees</source>
        <translation>Ce que voit le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="316"/>
        <source>28 × 28 pixels</source>
        <translation>28 × 28 pixels</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="326"/>
        <source>Click a class to keep this drawing as that digit in My digits</source>
        <translation>Cliquez sur une classe pour garder ce dessin comme ce chiffre dans Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="331"/>
        <source>Probabilities</source>
        <translation>Probabilités</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="332"/>
        <source>Step by step</source>
        <translation>Étape par étape</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="333"/>
        <source>Inside the network</source>
        <translation>Dans le réseau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="334"/>
        <source>The probability of each class</source>
        <translation>La probabilité de chaque classe</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="335"/>
        <source>The drawing after each preprocessing step, and what the model reads then</source>
        <translation>Le dessin après chaque étape de prétraitement, et ce que le modèle y lit alors</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="336"/>
        <source>The first layer&apos;s filters and each layer&apos;s feature maps for this drawing</source>
        <translation>Les filtres de la première couche et les cartes de caractéristiques de chaque couche pour ce dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="399"/>
        <source>Nothing to read yet: draw a bigger or darker digit</source>
        <translation>Rien à lire pour l&apos;instant : dessinez un chiffre plus grand ou plus foncé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="402"/>
        <source>The model could not read this drawing</source>
        <translation>Le modèle n&apos;a pas pu lire ce dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="418"/>
        <source>{top} or {runner_up}?</source>
        <translation>{top} ou {runner_up} ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="420"/>
        <source>Unsure: {value}% {top}, {value2}% {runner_up}</source>
        <translation>Incertain : {value} % {top}, {value2} % {runner_up}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="426"/>
        <source>  ·  or {runner_up}? {value}%</source>
        <translation>  ·  ou {runner_up} ? {value} %</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="429"/>
        <source>{value}% confident{doubt}</source>
        <translation>confiance {value} %{doubt}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="431"/>
        <source>Read in {elapsed_ms} ms</source>
        <translation>Lu en {elapsed_ms} ms</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="779"/>
        <source>{count} parameters · {origin}</source>
        <translation>{count} paramètres · {origin}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="448"/>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="574"/>
        <source>Cannot show why: {message}</source>
        <translation>Impossible de montrer pourquoi : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="583"/>
        <source>Cannot show the steps: {message}</source>
        <translation>Impossible de montrer les étapes : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="601"/>
        <source>Draw a digit first, then press its key to keep it</source>
        <translation>Dessinez d&apos;abord un chiffre, puis appuyez sur sa touche pour le garder</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="605"/>
        <source>Nothing to keep yet: draw a bigger or darker digit</source>
        <translation>Rien à garder pour l&apos;instant : dessinez un chiffre plus grand ou plus foncé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="638"/>
        <source>The model shipped with digitpad, trained on MNIST.</source>
        <translation>Le modèle fourni avec digitpad, entraîné sur MNIST.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="646"/>
        <source>{name} (file)</source>
        <translation>{name} (fichier)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="685"/>
        <source>Cannot use this model</source>
        <translation>Impossible d&apos;utiliser ce modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="708"/>
        <source>Open a Keras model</source>
        <translation>Ouvrir un modèle Keras</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="714"/>
        <source>Cannot use this image</source>
        <translation>Impossible d&apos;utiliser cette image</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="730"/>
        <source>{size} px</source>
        <translation>{size} px</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="751"/>
        <source>{path}
No digitpad metadata (a plain Keras file, or unreadable).</source>
        <translation>{path}
Pas de métadonnées digitpad (simple fichier Keras, ou illisible).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/draw_tab.py" line="778"/>
        <source>shipped with digitpad</source>
        <translation>fourni avec digitpad</translation>
    </message>
</context>
<context>
    <name>EvaluationDialog</name>
    <message>
        <location filename="../digitpad/gui/evaluation_dialog.py" line="34"/>
        <source>{model_name} on {test_label} — digitpad</source>
        <translation>{model_name} sur {test_label} — digitpad</translation>
    </message>
</context>
<context>
    <name>EvaluationView</name>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="80"/>
        <source>No evaluation to show yet.</source>
        <translation>Aucune évaluation à afficher pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="81"/>
        <source>Click an image to see the model&apos;s probabilities and which pixels drove its answer.</source>
        <translation>Cliquez sur une image pour voir les probabilités du modèle et les pixels qui ont guidé sa réponse.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="82"/>
        <source>No explanation: the model behind this evaluation is not loaded.</source>
        <translation>Pas d&apos;explication : le modèle de cette évaluation n&apos;est pas chargé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="83"/>
        <source>Working out which pixels mattered…</source>
        <translation>Calcul des pixels qui ont compté…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="84"/>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="84"/>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="84"/>
        <source>Recall</source>
        <translation>Rappel</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="84"/>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="266"/>
        <source>accuracy</source>
        <translation>précision</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="267"/>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="268"/>
        <source>macro F1</source>
        <translation>F1 macro</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="272"/>
        <source>Save report…</source>
        <translation>Enregistrer le rapport…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="273"/>
        <source>Write this evaluation as a web page with its pictures, to share or print.</source>
        <translation>Écrire cette évaluation sous forme de page web avec ses images, pour la partager ou l&apos;imprimer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="290"/>
        <source>Rows: the true class. Click a cell to see its images.</source>
        <translation>Lignes : la vraie classe. Cliquez sur une case pour voir ses images.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="293"/>
        <source>Counts</source>
        <translation>Effectifs</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="293"/>
        <source>Write the number of images in each cell.</source>
        <translation>Écrire le nombre d&apos;images dans chaque case.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="294"/>
        <source>Row %</source>
        <translation>% de la ligne</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="294"/>
        <source>Write each cell&apos;s share of its true class.</source>
        <translation>Écrire la part de chaque case dans sa vraie classe.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="308"/>
        <source>Confusion matrix</source>
        <translation>Matrice de confusion</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="309"/>
        <source>Per class</source>
        <translation>Par classe</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="334"/>
        <source>Click a class to see its images in the gallery; click a heading to sort.</source>
        <translation>Cliquez sur une classe pour voir ses images dans la galerie ; cliquez sur un en-tête pour trier.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="339"/>
        <source>Test images</source>
        <translation>Images de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="349"/>
        <source>Selected image</source>
        <translation>Image sélectionnée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="370"/>
        <source>the image</source>
        <translation>l&apos;image</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="371"/>
        <source>what drove the answer</source>
        <translation>ce qui a guidé la réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="398"/>
        <source>{model_name} tested on {test_label}: {wrong} of {value} wrong.</source>
        <translation>{model_name} testé sur {test_label} : {wrong} erreurs sur {value}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="470"/>
        <source>read right</source>
        <translation>bien lu</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="470"/>
        <source>read as {value}</source>
        <translation>lu comme {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="472"/>
        <source>Image {sample}: {value}, {verdict} ({sure})</source>
        <translation>Image {sample} : {value}, {verdict} ({sure})</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="495"/>
        <source>Warm: pixels that pushed the model towards {value}; cool: pixels that held it back ({method}).</source>
        <translation>Chaud : les pixels qui ont poussé le modèle vers {value} ; froid : ceux qui l&apos;ont retenu ({method}).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="500"/>
        <source>No explanation: {message}</source>
        <translation>Pas d&apos;explication : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="523"/>
        <source>Choose a folder for the report</source>
        <translation>Choisissez un dossier pour le rapport</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="528"/>
        <source>Writing the report…</source>
        <translation>Écriture du rapport…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="534"/>
        <source>Writing the report… {value}</source>
        <translation>Écriture du rapport… {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="542"/>
        <source>Report saved in &lt;a href=&quot;{folder_url}&quot;&gt;{parent}&lt;/a&gt; · &lt;a href=&quot;{page_url}&quot;&gt;Open it&lt;/a&gt;</source>
        <translation>Rapport enregistré dans &lt;a href=&quot;{folder_url}&quot;&gt;{parent}&lt;/a&gt; · &lt;a href=&quot;{page_url}&quot;&gt;L&apos;ouvrir&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="546"/>
        <source>⚠ The report was not saved: {message}</source>
        <translation>⚠ Le rapport n&apos;a pas été enregistré : {message}</translation>
    </message>
</context>
<context>
    <name>ExplanationOverlay</name>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="58"/>
        <source>explaining the drawing</source>
        <translation>explication du dessin</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="57"/>
        <source>For ONNX Runtime: Python, C#, C++, Java and web pages.</source>
        <translation>Pour ONNX Runtime : Python, C#, C++, Java et pages web.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="58"/>
        <source>For Android, iOS and microcontrollers (LiteRT is TensorFlow Lite renamed).</source>
        <translation>Pour Android, iOS et les microcontrôleurs (LiteRT est le nouveau nom de TensorFlow Lite).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="59"/>
        <source>For TensorFlow itself: TensorFlow Serving, tf.saved_model.load, TensorFlow.js.</source>
        <translation>Pour TensorFlow lui-même : TensorFlow Serving, tf.saved_model.load, TensorFlow.js.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="63"/>
        <source>A .onnx file.</source>
        <translation>Un fichier .onnx.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="64"/>
        <source>A .tflite file.</source>
        <translation>Un fichier .tflite.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="65"/>
        <source>A new folder, or an empty one: a SavedModel is several files.</source>
        <translation>Un nouveau dossier, ou un dossier vide : un SavedModel comporte plusieurs fichiers.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="68"/>
        <source>ONNX models (*.onnx)</source>
        <translation>Modèles ONNX (*.onnx)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="69"/>
        <source>LiteRT models (*.tflite)</source>
        <translation>Modèles LiteRT (*.tflite)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="70"/>
        <source>SavedModel folder (*)</source>
        <translation>Dossier SavedModel (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="125"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="142"/>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="145"/>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="159"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="160"/>
        <source>Stop the export; nothing is written</source>
        <translation>Arrêter l&apos;export ; rien n&apos;est écrit</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="172"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="176"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="206"/>
        <source>Export {display_name} — digitpad</source>
        <translation>Exporter {display_name} — digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="207"/>
        <source>Export “{display_name}” for other programs</source>
        <translation>Exporter « {display_name} » pour d&apos;autres programmes</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="235"/>
        <source>Export as {value}</source>
        <translation>Exporter en {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="253"/>
        <source>Choose where to write the export.</source>
        <translation>Choisissez où écrire l&apos;export.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="262"/>
        <source>Loading {display_name}…</source>
        <translation>Chargement de {display_name}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="273"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="305"/>
        <source>Written to &lt;b&gt;{value}&lt;/b&gt; ({bytes}, {seconds}) · &lt;a href=&quot;{link}&quot;&gt;Show in folder&lt;/a&gt;&lt;br&gt;Checked on {images} held-out digits: largest difference {max_abs_difference} from digitpad&apos;s answers.</source>
        <translation>Écrit dans &lt;b&gt;{value}&lt;/b&gt; ({bytes}, {seconds}) · &lt;a href=&quot;{link}&quot;&gt;Afficher dans le dossier&lt;/a&gt;&lt;br&gt;Vérifié sur {images} chiffres mis de côté : plus grand écart {max_abs_difference} avec les réponses de digitpad.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="311"/>
        <source>⚠ That is more than the {TOLERANCE:g} expected of the same model computed in another order: check the export&apos;s answers before relying on it.</source>
        <translation>⚠ C&apos;est plus que les {TOLERANCE:g} attendus du même modèle calculé dans un autre ordre : vérifiez les réponses de l&apos;export avant de vous y fier.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="313"/>
        <source>Exported as {value}.</source>
        <translation>Exporté en {value}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="317"/>
        <source>Export failed.</source>
        <translation>L&apos;export a échoué.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="322"/>
        <source>Export cancelled: nothing was written.</source>
        <translation>Export annulé : rien n&apos;a été écrit.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="361"/>
        <source>Replace file</source>
        <translation>Remplacer le fichier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/export_dialog.py" line="361"/>
        <source>{name} already exists in {parent}. Replace it?</source>
        <translation>{name} existe déjà dans {parent}. Le remplacer ?</translation>
    </message>
</context>
<context>
    <name>FineTunePanel</name>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="104"/>
        <source>Fine-tuning curves</source>
        <translation>Courbes de l&apos;ajustement fin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="124"/>
        <source>Fine-tune to your handwriting</source>
        <translation>Ajuster à votre écriture</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="126"/>
        <source>Trains a copy of a model on your digits plus a sample of MNIST, so it learns your hand without forgetting everyone else&apos;s. Some of your digits are kept aside to measure it.</source>
        <translation>Entraîne une copie d&apos;un modèle sur vos chiffres et un échantillon de MNIST, pour qu&apos;il apprenne votre écriture sans oublier celle des autres. Une partie de vos chiffres est mise de côté pour le mesurer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="131"/>
        <source>The model to start from; it is left as it is.</source>
        <translation>Le modèle de départ ; il reste inchangé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="136"/>
        <source>Start from</source>
        <translation>Partir de</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="137"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="148"/>
        <source>Start fine-tuning</source>
        <translation>Lancer l&apos;ajustement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="152"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="154"/>
        <source>Stop after the current batch, keep what it has learnt and measure it.</source>
        <translation>Arrêter après le lot en cours, garder ce qui a été appris et le mesurer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="162"/>
        <source>Before and after</source>
        <translation>Avant et après</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="182"/>
        <source>Your digits: {value}.</source>
        <translation>Vos chiffres : {value}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="185"/>
        <source> Fine-tuning needs at least {MIN_PER_LABEL} of every digit; keep more of: {listed}.</source>
        <translation> L&apos;ajustement demande au moins {MIN_PER_LABEL} exemplaires de chaque chiffre ; gardez-en davantage de : {listed}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="239"/>
        <source>Preparing {value} of your digits…</source>
        <translation>Préparation de {value} de vos chiffres…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="245"/>
        <source>Fine-tuning {parent_name} on your digits…</source>
        <translation>Ajustement de {parent_name} sur vos chiffres…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="287"/>
        <source>Fine-tuning finished: {gained} on your held-out digits. Save it or draw with it.</source>
        <translation>Ajustement terminé : {gained} sur vos chiffres mis de côté. Enregistrez-le ou dessinez avec.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="318"/>
        <source>Learnt from {personal_train} of your digits and {replayed} replayed MNIST digits; {personal_held_out} of yours were kept aside to measure it.</source>
        <translation>A appris sur {personal_train} de vos chiffres et {replayed} chiffres MNIST rejoués ; {personal_held_out} des vôtres ont été mis de côté pour le mesurer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="321"/>
        <source>Stopped by you; the weights learnt so far were measured. </source>
        <translation>Arrêté par vous ; les poids appris jusque-là ont été mesurés. </translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="336"/>
        <source>TensorFlow could not be loaded, so models cannot be fine-tuned: {message}</source>
        <translation>TensorFlow n&apos;a pas pu être chargé, les modèles ne peuvent donc pas être ajustés : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="344"/>
        <source>Choose the model to start from, then press Start fine-tuning.</source>
        <translation>Choisissez le modèle de départ, puis appuyez sur Lancer l&apos;ajustement.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="358"/>
        <source>TensorFlow is still loading; fine-tuning can start in a few seconds.</source>
        <translation>TensorFlow est encore en cours de chargement ; l&apos;ajustement pourra commencer dans quelques secondes.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="362"/>
        <source>Keep at least {MIN_PER_LABEL} of every digit first: draw one in the Draw tab and press its digit key.</source>
        <translation>Gardez d&apos;abord au moins {MIN_PER_LABEL} exemplaires de chaque chiffre : dessinez-en un dans l&apos;onglet Dessiner et appuyez sur sa touche.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="364"/>
        <source>Fine-tune the chosen model on your digits.</source>
        <translation>Ajuster le modèle choisi sur vos chiffres.</translation>
    </message>
</context>
<context>
    <name>FinetunePanel</name>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="48"/>
        <source>Shipped default model</source>
        <translation>Modèle fourni par défaut</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="50"/>
        <source>Measured on</source>
        <translation>Mesuré sur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="50"/>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="50"/>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="50"/>
        <source>Change</source>
        <translation>Écart</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/finetune_panel.py" line="67"/>
        <source>{points} points</source>
        <translation>{points} points</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="134"/>
        <source>{percent}% on {test_set}</source>
        <translation>{percent} % sur {test_set}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="144"/>
        <source>{name}, {count}</source>
        <translation>{name}, {count}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="170"/>
        <source>estimating time left</source>
        <translation>estimation du temps restant</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="171"/>
        <source>{time} left</source>
        <translation>encore {time}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="178"/>
        <source>{size} B</source>
        <translation>{size} o</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="180"/>
        <source>{size} KB</source>
        <translation>{size} Ko</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/i18n.py" line="181"/>
        <source>{size} MB</source>
        <translation>{size} Mo</translation>
    </message>
</context>
<context>
    <name>LayerStack</name>
    <message>
        <location filename="../digitpad/core/layer_stack.py" line="170"/>
        <source>The network has no layers; end it with Dense 10 softmax.</source>
        <translation>Le réseau n&apos;a aucune couche ; terminez-le par Dense 10 softmax.</translation>
    </message>
</context>
<context>
    <name>LibrarySave</name>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="26"/>
        <source>Save to library</source>
        <translation>Enregistrer dans la bibliothèque</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="26"/>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="26"/>
        <source>Saved ✓</source>
        <translation>Enregistré ✓</translation>
    </message>
</context>
<context>
    <name>LiveComparison</name>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="135"/>
        <source>The 28 by 28 image every model sees</source>
        <translation>L&apos;image 28 sur 28 que voit chaque modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="136"/>
        <source>The 28×28 image the models actually see, after digitpad&apos;s MNIST preprocessing</source>
        <translation>L&apos;image 28×28 que les modèles voient réellement, après le prétraitement MNIST de digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="137"/>
        <source>They see</source>
        <translation>Ils voient</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="222"/>
        <source>None of these models could read the drawing.</source>
        <translation>Aucun de ces modèles n&apos;a pu lire le dessin.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="228"/>
        <source>Models disagree: {said}</source>
        <translation>Les modèles ne sont pas d&apos;accord : {said}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="232"/>
        <source>Both models say</source>
        <translation>Les deux modèles disent</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/compare_live.py" line="232"/>
        <source>All {answers} models say</source>
        <translation>Les {answers} modèles disent tous</translation>
    </message>
</context>
<context>
    <name>LiveCrossValidation</name>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="95"/>
        <source>Fold {fold} of {folds}</source>
        <translation>Pli {fold} sur {folds}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="97"/>
        <source>Building the model for fold {fold}: it learns from the other {value} folds and is tested on this one.</source>
        <translation>Construction du modèle du pli {fold} : il apprend sur les {value} autres plis et est testé sur celui-ci.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="113"/>
        <source>Fold {fold} of {folds}  ·  epoch {epoch} of {epochs}  ·  batch {batch} of {batches_per_epoch}</source>
        <translation>Pli {fold} sur {folds}  ·  époque {epoch} sur {epochs}  ·  lot {batch} sur {batches_per_epoch}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="117"/>
        <source>{time_left} in all</source>
        <translation>{time_left} au total</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="120"/>
        <source>{samples_per_second} samples/s  ·  {left_text}  ·  loss {value}  ·  accuracy {value2}</source>
        <translation>{samples_per_second} exemples/s  ·  {left_text}  ·  perte {value}  ·  précision {value2}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="143"/>
        <source>Stopping: the fold under way is dropped, the finished folds are kept…</source>
        <translation>Arrêt : le pli en cours est abandonné, les plis terminés sont gardés…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="148"/>
        <source>Stopped — {folds} of {fold_count} folds kept</source>
        <translation>Arrêté — {folds} plis sur {fold_count} gardés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="150"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="151"/>
        <source>{folds} folds in {duration_s}: {value}.</source>
        <translation>{folds} plis en {duration_s} : {value}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="155"/>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="156"/>
        <source>Stopped before the first fold was finished: there is nothing to show.</source>
        <translation>Arrêté avant la fin du premier pli : il n&apos;y a rien à montrer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="160"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/crossval_view.py" line="161"/>
        <source>Cross-validation did not finish; see the message above.</source>
        <translation>La validation croisée n&apos;est pas allée au bout ; voir le message ci-dessus.</translation>
    </message>
</context>
<context>
    <name>LrFinder</name>
    <message>
        <location filename="../digitpad/core/lr_finder.py" line="61"/>
        <source>the rate where the smoothed loss falls fastest against the log of the rate, before the loss reaches its lowest point</source>
        <translation>le taux où la perte lissée baisse le plus vite en fonction du logarithme du taux, avant que la perte n&apos;atteigne son minimum</translation>
    </message>
    <message>
        <location filename="../digitpad/core/lr_finder.py" line="66"/>
        <source>one tenth of the rate at which the smoothed loss is lowest, since the loss never fell clearly before it</source>
        <translation>un dixième du taux où la perte lissée est la plus basse, la perte n&apos;ayant jamais nettement baissé avant</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="60"/>
        <source>Find a learning rate — digitpad</source>
        <translation>Trouver un taux d&apos;apprentissage — digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="82"/>
        <source>A fresh {network} trains on batches of {batch_size} while its learning rate grows from {low} to {high}, for up to {batches} batches. Where the loss falls fastest, the network learns fastest; where it climbs, the rate is too high.</source>
        <translation>Un {network} tout juste initialisé s&apos;entraîne sur des lots de {batch_size} pendant que son taux d&apos;apprentissage passe de {low} à {high}, sur {batches} lots au plus. Là où la perte baisse le plus vite, le réseau apprend le plus vite ; là où elle remonte, le taux est trop élevé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="105"/>
        <source>Loss against learning rate</source>
        <translation>Perte en fonction du taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="113"/>
        <source>learning rate</source>
        <translation>taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="114"/>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="123"/>
        <source>loss per batch</source>
        <translation>perte par lot</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="124"/>
        <source>smoothed</source>
        <translation>lissée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="141"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="144"/>
        <source>Use</source>
        <translation>Utiliser</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="147"/>
        <source>Put the suggested rate in the Train tab&apos;s Learning rate field.</source>
        <translation>Mettre le taux proposé dans le champ Taux d&apos;apprentissage de l&apos;onglet Entraîner.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="159"/>
        <source>Building the network and loading the data…</source>
        <translation>Construction du réseau et chargement des données…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="172"/>
        <source>Stopping after this batch…</source>
        <translation>Arrêt après ce lot…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="201"/>
        <source>Batch {batch} of {batches}: rate {rate}, loss {loss} (smoothed).</source>
        <translation>Lot {batch} sur {batches} : taux {rate}, perte {loss} (lissée).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="222"/>
        <source>stopped once the loss passed {factor}× its lowest</source>
        <translation>arrêté dès que la perte a dépassé {factor}× son minimum</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="224"/>
        <source>the loss never exploded, so higher rates were not tried</source>
        <translation>la perte n&apos;a jamais explosé, des taux plus élevés n&apos;ont donc pas été essayés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="226"/>
        <source>Suggested learning rate: {rate}.</source>
        <translation>Taux d&apos;apprentissage proposé : {rate}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="228"/>
        <source>Chosen as {rule}. {done} of {batches} batches in {duration}; {ending}.</source>
        <translation>Choisi comme {rule}. {done} lots sur {batches} en {duration} ; {ending}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="232"/>
        <source>Use {rate}</source>
        <translation>Utiliser {rate}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="250"/>
        <source>Cancelled: a sweep cut short suggests no rate.</source>
        <translation>Annulé : un balayage interrompu ne propose aucun taux.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/lr_finder_dialog.py" line="260"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="39"/>
        <source>digitpad</source>
        <translation>digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="58"/>
        <source>Draw</source>
        <translation>Dessiner</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="59"/>
        <source>Train</source>
        <translation>Entraîner</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="60"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="61"/>
        <source>My digits</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="62"/>
        <source>Draw a digit and see what the model reads</source>
        <translation>Dessinez un chiffre et voyez ce que le modèle y lit</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="63"/>
        <source>Train a new model and watch it learn</source>
        <translation>Entraînez un nouveau modèle et regardez-le apprendre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="64"/>
        <source>Your saved models: details, and comparisons</source>
        <translation>Vos modèles enregistrés : détails et comparaisons</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="65"/>
        <source>The digits you kept: correct them, and fine-tune a model on your hand</source>
        <translation>Les chiffres que vous avez gardés : corrigez-les, et ajustez un modèle à votre écriture</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="72"/>
        <location filename="../digitpad/gui/main_window.py" line="179"/>
        <source>TensorFlow ready</source>
        <translation>TensorFlow prêt</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="73"/>
        <source>Loading TensorFlow…</source>
        <translation>Chargement de TensorFlow…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="84"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="85"/>
        <source>Open &amp;image…</source>
        <translation>Ouvrir une &amp;image…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="86"/>
        <source>Open &amp;model…</source>
        <translation>Ouvrir un &amp;modèle…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="87"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="94"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="103"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="104"/>
        <source>&amp;About digitpad</source>
        <translation>À &amp;propos de digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="110"/>
        <source>&amp;Settings</source>
        <translation>&amp;Réglages</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="111"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="116"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="132"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="133"/>
        <source>The new language shows when digitpad starts again.</source>
        <translation>La nouvelle langue s&apos;affichera au prochain démarrage de digitpad.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="134"/>
        <source>Restart now</source>
        <translation>Redémarrer maintenant</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="135"/>
        <source>Later</source>
        <translation>Plus tard</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="161"/>
        <source>About digitpad</source>
        <translation>À propos de digitpad</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="162"/>
        <source>&lt;h2 style=&quot;margin-bottom: 4px&quot;&gt;digitpad {version}&lt;/h2&gt;&lt;p&gt;Draw a digit and watch a neural network read it; train your own models and compare them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Data&lt;/b&gt;&lt;br&gt;MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J.&amp;nbsp;C. Burges, licensed under &lt;a href=&quot;https://creativecommons.org/licenses/by-sa/3.0/&quot;&gt;CC BY-SA 3.0&lt;/a&gt;.&lt;br&gt;Fashion-MNIST by Han Xiao, Kashif Rasul and Roland Vollgraf (Zalando Research), MIT licence.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Built with&lt;/b&gt; TensorFlow and Keras, LiteRT, NumPy, Pillow, Qt for Python (PySide6) and pyqtgraph.&lt;/p&gt;</source>
        <translation>&lt;h2 style=&quot;margin-bottom: 4px&quot;&gt;digitpad {version}&lt;/h2&gt;&lt;p&gt;Dessinez un chiffre et regardez un réseau de neurones le lire ; entraînez vos propres modèles et comparez-les.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Données&lt;/b&gt;&lt;br&gt;Chiffres manuscrits MNIST de Yann LeCun, Corinna Cortes et Christopher J.&amp;nbsp;C. Burges, sous licence &lt;a href=&quot;https://creativecommons.org/licenses/by-sa/3.0/&quot;&gt;CC BY-SA 3.0&lt;/a&gt;.&lt;br&gt;Fashion-MNIST de Han Xiao, Kashif Rasul et Roland Vollgraf (Zalando Research), licence MIT.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Réalisé avec&lt;/b&gt; TensorFlow et Keras, LiteRT, NumPy, Pillow, Qt for Python (PySide6) et pyqtgraph.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="183"/>
        <source>TensorFlow unavailable</source>
        <translation>TensorFlow indisponible</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/main_window.py" line="196"/>
        <source>Your digits</source>
        <translation>Vos chiffres</translation>
    </message>
</context>
<context>
    <name>ModelDetails</name>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="47"/>
        <source>No metadata: plain Keras file.</source>
        <translation>Pas de métadonnées : simple fichier Keras.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="48"/>
        <source>Reading the layers…</source>
        <translation>Lecture des couches…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="49"/>
        <source>Select a model in the table to see how it was made, how it learnt and its layers. Select several with Ctrl+click to compare them.</source>
        <translation>Sélectionnez un modèle dans le tableau pour voir comment il a été fait, comment il a appris et ses couches. Sélectionnez-en plusieurs avec Ctrl+clic pour les comparer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="56"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="57"/>
        <source>Lineage</source>
        <translation>Origine</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="58"/>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="59"/>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="60"/>
        <source>Test accuracy</source>
        <translation>Précision de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="61"/>
        <source>Test loss</source>
        <translation>Perte de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="62"/>
        <source>Calibration</source>
        <translation>Calibration</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="63"/>
        <source>Macro F1</source>
        <translation>F1 macro</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="64"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="65"/>
        <source>Training time</source>
        <translation>Durée d&apos;entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="66"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="67"/>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="68"/>
        <source>Classes</source>
        <translation>Classes</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="69"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="114"/>
        <source>Trained from scratch</source>
        <translation>Entraîné à partir de zéro</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="116"/>
        <source>{accuracy} on {test_set}</source>
        <translation>{accuracy} sur {test_set}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="123"/>
        <source> (1 epoch)</source>
        <translation> (1 époque)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="124"/>
        <source> ({epochs} epochs)</source>
        <translation> ({epochs} époques)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="128"/>
        <source>Keras {keras_version} · TensorFlow {tensorflow_version} · preprocessing {preprocess_version}</source>
        <translation>Keras {keras_version} · TensorFlow {tensorflow_version} · prétraitement {preprocess_version}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="140"/>
        <location filename="../digitpad/gui/model_details.py" line="210"/>
        <location filename="../digitpad/gui/model_details.py" line="222"/>
        <source>No model selected</source>
        <translation>Aucun modèle sélectionné</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="171"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="176"/>
        <source>No training history is stored with this model.</source>
        <translation>Aucun historique d&apos;entraînement n&apos;est enregistré avec ce modèle.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="181"/>
        <source>How it learnt</source>
        <translation>Son apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="184"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="184"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="184"/>
        <source>Output shape</source>
        <translation>Forme de sortie</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="184"/>
        <source>Params</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="194"/>
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="239"/>
        <source>comes with digitpad (read-only)</source>
        <translation>fourni avec digitpad (lecture seule)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="243"/>
        <source>Its digitpad description had values of the wrong kind, left out: {ignored}.</source>
        <translation>Sa description digitpad contenait des valeurs du mauvais type, ignorées : {ignored}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_details.py" line="271"/>
        <source>{layers} layers · {num_params} parameters</source>
        <translation>{layers} couches · {num_params} paramètres</translation>
    </message>
</context>
<context>
    <name>ModelEvaluation</name>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="25"/>
        <source>Select one model in the table to measure it on a test set.</source>
        <translation>Sélectionnez un modèle dans le tableau pour le mesurer sur un jeu de test.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="26"/>
        <source>Press Evaluate to measure {name} on these images and look at every answer.</source>
        <translation>Appuyez sur Évaluer pour mesurer {name} sur ces images et examiner chaque réponse.</translation>
    </message>
</context>
<context>
    <name>ModelEvaluationPage</name>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="77"/>
        <source>Loading {display_name}…</source>
        <translation>Chargement de {display_name}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="87"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="107"/>
        <source>Measured on {test_label}.</source>
        <translation>Mesuré sur {test_label}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="113"/>
        <source>Could not evaluate: {message}</source>
        <translation>Évaluation impossible : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_evaluation.py" line="118"/>
        <source>Evaluation cancelled.</source>
        <translation>Évaluation annulée.</translation>
    </message>
</context>
<context>
    <name>ModelTable</name>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="36"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="36"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="37"/>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="37"/>
        <source>Test accuracy</source>
        <translation>Précision de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="38"/>
        <source>Tested on</source>
        <translation>Testé sur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="38"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="39"/>
        <source>File size</source>
        <translation>Taille du fichier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="39"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="43"/>
        <source>Shipped default</source>
        <translation>Modèle fourni</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="44"/>
        <source>plain Keras file</source>
        <translation>simple fichier Keras</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="45"/>
        <source>unreadable file</source>
        <translation>fichier illisible</translation>
    </message>
</context>
<context>
    <name>ModelTableModel</name>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="271"/>
        <source>Comes with digitpad: it cannot be renamed or deleted.</source>
        <translation>Fourni avec digitpad : il ne peut être ni renommé ni supprimé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="273"/>
        <source>● Used for drawing.</source>
        <translation>● Utilisé pour le dessin.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/model_table.py" line="277"/>
        <source>No metadata: a plain Keras file.</source>
        <translation>Pas de métadonnées : un simple fichier Keras.</translation>
    </message>
</context>
<context>
    <name>ModelsTab</name>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="167"/>
        <source>Filter models…</source>
        <translation>Filtrer les modèles…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="233"/>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="234"/>
        <source>Evaluate</source>
        <translation>Évaluer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="155"/>
        <location filename="../digitpad/gui/models_tab.py" line="235"/>
        <location filename="../digitpad/gui/models_tab.py" line="271"/>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="71"/>
        <source>Keras models (*.keras);;All files (*)</source>
        <translation>Modèles Keras (*.keras);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="149"/>
        <location filename="../digitpad/gui/models_tab.py" line="273"/>
        <source>Open .keras…</source>
        <translation>Ouvrir un .keras…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="150"/>
        <source>Import a Keras model file into the library (or drop .keras files here)</source>
        <translation>Importer un fichier de modèle Keras dans la bibliothèque (ou déposer des fichiers .keras ici)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="151"/>
        <location filename="../digitpad/gui/models_tab.py" line="269"/>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="151"/>
        <source>Rename the selected model (F2)</source>
        <translation>Renommer le modèle sélectionné (F2)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="152"/>
        <location filename="../digitpad/gui/models_tab.py" line="270"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="152"/>
        <source>Delete the selected models from the library (Del)</source>
        <translation>Supprimer de la bibliothèque les modèles sélectionnés (Suppr)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="153"/>
        <location filename="../digitpad/gui/models_tab.py" line="268"/>
        <source>Use for drawing</source>
        <translation>Utiliser pour le dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="153"/>
        <source>Recognise drawings with the selected model</source>
        <translation>Reconnaître les dessins avec le modèle sélectionné</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="156"/>
        <source>Select two or more models (Ctrl+click), then compare them</source>
        <translation>Sélectionnez deux modèles ou plus (Ctrl+clic), puis comparez-les</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="157"/>
        <location filename="../digitpad/gui/models_tab.py" line="272"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="158"/>
        <source>Write the selected model as ONNX, LiteRT or a TensorFlow SavedModel for other programs</source>
        <translation>Écrire le modèle sélectionné en ONNX, LiteRT ou SavedModel TensorFlow pour d&apos;autres programmes</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="322"/>
        <source>Your library is empty: train a model on the Train tab, or open a .keras file. Library folder: {link}</source>
        <translation>Votre bibliothèque est vide : entraînez un modèle dans l&apos;onglet Entraîner, ou ouvrez un fichier .keras. Dossier de la bibliothèque : {link}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="325"/>
        <source>model</source>
        <translation>modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="325"/>
        <source>models</source>
        <translation>modèles</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="327"/>
        <source>{library_count} {noun} in {link} · ● marks the model used for drawing · Ctrl+click selects several to compare · double-click or F2 renames</source>
        <translation>{library_count} {noun} dans {link} · ● marque le modèle utilisé pour le dessin · Ctrl+clic en sélectionne plusieurs à comparer · double-clic ou F2 pour renommer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="397"/>
        <source>Press Compare to see them read your drawing side by side, measure them on a test set and overlay how they learnt.</source>
        <translation>Appuyez sur Comparer pour les voir lire votre dessin côte à côte, les mesurer sur un jeu de test et superposer leurs courbes d&apos;apprentissage.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="399"/>
        <source>{count} models selected</source>
        <translation>{count} modèles sélectionnés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="432"/>
        <source>Open a Keras model</source>
        <translation>Ouvrir un modèle Keras</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="439"/>
        <source>Checking {value}…</source>
        <translation>Vérification de {value}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="447"/>
        <source>Rename model</source>
        <translation>Renommer le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="447"/>
        <source>New name for “{name}”:</source>
        <translation>Nouveau nom pour « {name} » :</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="467"/>
        <source>Delete “{name}” from the library?</source>
        <translation>Supprimer « {name} » de la bibliothèque ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="469"/>
        <source>Delete these {rows} models from the library?

</source>
        <translation>Supprimer ces {rows} modèles de la bibliothèque ?

</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="473"/>
        <source>

Drawing switches back to the shipped model.</source>
        <translation>

Le dessin repasse au modèle fourni.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="474"/>
        <source>

The files are removed from disk; this cannot be undone.</source>
        <translation>

Les fichiers sont effacés du disque ; c&apos;est irréversible.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="477"/>
        <source>Delete model</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="477"/>
        <source>Delete models</source>
        <translation>Supprimer les modèles</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="518"/>
        <source>Cannot compare models</source>
        <translation>Impossible de comparer les modèles</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="522"/>
        <source>Wait a moment: the library is still being changed.</source>
        <translation>Un instant : la bibliothèque est encore en cours de modification.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="534"/>
        <source>Cannot open model</source>
        <translation>Impossible d&apos;ouvrir le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="539"/>
        <source>Added {names} to the model library.</source>
        <translation>{names} ajouté(s) à la bibliothèque de modèles.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="544"/>
        <source>Renamed {name} to {name2}.</source>
        <translation>{name} renommé en {name2}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="547"/>
        <source>Cannot delete model</source>
        <translation>Impossible de supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="552"/>
        <source>Deleted {deleted}.</source>
        <translation>{deleted} supprimé(s).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/models_tab.py" line="560"/>
        <source>Cannot change the library</source>
        <translation>Impossible de modifier la bibliothèque</translation>
    </message>
</context>
<context>
    <name>MyDigitsTab</name>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="157"/>
        <source>My digits</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="168"/>
        <source>Only misread</source>
        <translation>Seulement les erreurs</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="169"/>
        <source>Show only the digits the drawing model reads as another digit.</source>
        <translation>N&apos;afficher que les chiffres que le modèle de dessin lit comme un autre chiffre.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="210"/>
        <source>Go to the Draw tab</source>
        <translation>Aller à l&apos;onglet Dessiner</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="219"/>
        <source>Select digits (Ctrl or Shift for several), then press 0-9 to give them that label or Delete to remove them; Ctrl+Z takes it back.</source>
        <translation>Sélectionnez des chiffres (Ctrl ou Maj pour plusieurs), puis appuyez sur 0-9 pour leur donner cette étiquette ou sur Suppr pour les retirer ; Ctrl+Z annule.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="246"/>
        <source>Import folder…</source>
        <translation>Importer un dossier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="247"/>
        <source>Import the images of a folder with subfolders 0 to 9.</source>
        <translation>Importer les images d&apos;un dossier avec des sous-dossiers 0 à 9.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="249"/>
        <source>Import .npz…</source>
        <translation>Importer un .npz…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="250"/>
        <source>Import an .npz file with arrays x (images) and y (labels).</source>
        <translation>Importer un fichier .npz avec les tableaux x (images) et y (étiquettes).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="253"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="256"/>
        <source>NumPy .npz file…</source>
        <translation>Fichier NumPy .npz…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="258"/>
        <source>Folder of PNG images…</source>
        <translation>Dossier d&apos;images PNG…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="260"/>
        <source>IDX files (like MNIST)…</source>
        <translation>Fichiers IDX (comme MNIST)…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="265"/>
        <location filename="../digitpad/gui/my_digits_tab.py" line="282"/>
        <source>Label as</source>
        <translation>Étiqueter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="268"/>
        <location filename="../digitpad/gui/my_digits_tab.py" line="560"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="269"/>
        <source>Delete the selected digits (Delete key; Ctrl+Z brings them back).</source>
        <translation>Supprimer les chiffres sélectionnés (touche Suppr ; Ctrl+Z les ramène).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="296"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="297"/>
        <source>Take back the last delete or relabel (Ctrl+Z).</source>
        <translation>Annuler la dernière suppression ou le dernier changement d&apos;étiquette (Ctrl+Z).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="301"/>
        <source>Dismiss</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="332"/>
        <source>{value} now labelled {label}.</source>
        <translation>{value} désormais étiqueté(s) {label}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="342"/>
        <source>Restored {value}.</source>
        <translation>{value} restauré(s).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="349"/>
        <source>Labels put back on {value}.</source>
        <translation>Étiquettes remises sur {value}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="358"/>
        <source>Importing {import_name}…</source>
        <translation>Importation de {import_name}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="367"/>
        <source>Exporting to {path}…</source>
        <translation>Exportation vers {path}…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="400"/>
        <source>{total} digit</source>
        <translation>{total} chiffre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="400"/>
        <source>{total} digits</source>
        <translation>{total} chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="434"/>
        <source>Deleted {value}.</source>
        <translation>{value} supprimé(s).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="440"/>
        <source>Imported {added}.</source>
        <translation>{added} importé(s).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="444"/>
        <source> Skipped {count}: {files}</source>
        <translation> {count} ignorés : {files}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="445"/>
        <source> and {more} more.</source>
        <translation> et {more} de plus.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="454"/>
        <source>Importing {import_name}… {value}</source>
        <translation>Importation de {import_name}… {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="460"/>
        <source>Exported {count} to {path}.</source>
        <translation>{count} exporté(s) vers {path}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="528"/>
        <source>{model} is reading your digits…</source>
        <translation>{model} lit vos chiffres…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="531"/>
        <source>; {wrong} misread, marked in red</source>
        <translation> ; {wrong} mal lus, marqués en rouge</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="533"/>
        <source>{model} reads {percent} of your {read} right{marked}.</source>
        <translation>{model} lit correctement {percent} de vos {read}{marked}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="566"/>
        <source>Import digits from a folder with subfolders 0-9</source>
        <translation>Importer des chiffres d&apos;un dossier avec des sous-dossiers 0-9</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="572"/>
        <source>Import digits from an .npz file</source>
        <translation>Importer des chiffres d&apos;un fichier .npz</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="578"/>
        <source>Export your digits</source>
        <translation>Exporter vos chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="585"/>
        <source>Export your digits as PNG images into a new folder</source>
        <translation>Exporter vos chiffres en images PNG dans un nouveau dossier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="592"/>
        <source>Export your digits as IDX files into a folder</source>
        <translation>Exporter vos chiffres en fichiers IDX dans un dossier</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="635"/>
        <source>1 digit</source>
        <translation>1 chiffre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="636"/>
        <source>{count} digits</source>
        <translation>{count} chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="401"/>
        <source>All
{total}</source>
        <translation>Tous
{total}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="65"/>
        <source>NumPy arrays (*.npz);;All files (*)</source>
        <translation>Tableaux NumPy (*.npz);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="66"/>
        <source>Folder (*)</source>
        <translation>Dossier (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="72"/>
        <source>No digits kept yet.

Draw a digit in the Draw tab, then press its digit key (0-9) to keep it here under that label; or import a folder with subfolders 0-9, or an .npz file with x and y arrays.

A few dozen of your own digits are enough to fine-tune a model to your handwriting.</source>
        <translation>Aucun chiffre gardé pour l&apos;instant.

Dessinez un chiffre dans l&apos;onglet Dessiner, puis appuyez sur sa touche (0-9) pour le garder ici sous cette étiquette ; ou importez un dossier avec des sous-dossiers 0-9, ou un fichier .npz avec des tableaux x et y.

Quelques dizaines de vos propres chiffres suffisent pour ajuster un modèle à votre écriture.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="515"/>
        <source>The drawing model could not read your digits: {message}</source>
        <translation>Le modèle de dessin n&apos;a pas pu lire vos chiffres : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/my_digits_tab.py" line="523"/>
        <source>Once a model is loaded for drawing, its accuracy on your digits shows here.</source>
        <translation>Une fois un modèle chargé pour le dessin, sa précision sur vos chiffres s&apos;affiche ici.</translation>
    </message>
</context>
<context>
    <name>NetworkInside</name>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="123"/>
        <source>What {layer} looks for: its {count} filters of {height}×{width} pixels. Light: ink there raises the filter&apos;s response; dark: ink there lowers it; grey: it does not matter.</source>
        <translation>Ce que cherche {layer} : ses {count} filtres de {height}×{width} pixels. Clair : de l&apos;encre à cet endroit augmente la réponse du filtre ; sombre : elle la diminue ; gris : elle ne compte pas.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="133"/>
        <source>What each of the {units} units of {layer} looks for. Light: ink there raises the unit; dark: ink there lowers it.</source>
        <translation>Ce que cherche chacun des {units} neurones de {layer}. Clair : de l&apos;encre à cet endroit active le neurone ; sombre : elle l&apos;inhibe.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="144"/>
        <source>No convolution layers: this multilayer perceptron weighs all 784 pixels at once, so there are no feature maps to show.</source>
        <translation>Aucune couche de convolution : ce perceptron multicouche pondère les 784 pixels d&apos;un coup, il n&apos;y a donc pas de cartes de caractéristiques à montrer.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="146"/>
        <source>This model has no convolution layers and no Dense layer reading the pixels directly, so there is nothing to picture here.</source>
        <translation>Ce modèle n&apos;a ni couche de convolution ni couche Dense lisant directement les pixels : il n&apos;y a rien à représenter ici.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="260"/>
        <source>{name}: each filter slides over the drawing and lights up where a small piece of stroke matches its pattern. Brighter: a stronger response.</source>
        <translation>{name} : chaque filtre glisse sur le dessin et s&apos;allume là où un petit bout de trait correspond à son motif. Plus clair : une réponse plus forte.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="263"/>
        <source>{name}: each map combines the maps before it, so it responds to larger shapes: corners, curves, loops. Brighter: a stronger response.</source>
        <translation>{name} : chaque carte combine les cartes précédentes et répond donc à des formes plus grandes : angles, courbes, boucles. Plus clair : une réponse plus forte.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="271"/>
        <source>{name}: keeps the strongest response in each {height}×{width} block: smaller maps, which care less about exactly where the stroke is.</source>
        <translation>{name} : garde la réponse la plus forte de chaque bloc de {height}×{width} : des cartes plus petites, moins sensibles à la position exacte du trait.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/network_inside.py" line="275"/>
        <source>{name}: averages the response in each {height}×{width} block: smaller maps, which care less about exactly where the stroke is.</source>
        <translation>{name} : fait la moyenne des réponses de chaque bloc de {height}×{width} : des cartes plus petites, moins sensibles à la position exacte du trait.</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="61"/>
        <source>Inside the network</source>
        <translation>Dans le réseau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="78"/>
        <source>The layer before</source>
        <translation>La couche précédente</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="82"/>
        <source>The layer after</source>
        <translation>La couche suivante</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="85"/>
        <source>Layer shown</source>
        <translation>Couche affichée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="155"/>
        <source>Loading the layers of {name}… (a few seconds if TensorFlow has not started yet)</source>
        <translation>Chargement des couches de {name}… (quelques secondes si TensorFlow n&apos;est pas encore démarré)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="182"/>
        <source>Cannot look inside this model: {message}</source>
        <translation>Impossible d&apos;examiner ce modèle : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="223"/>
        <source>Filter {value} of {levels}</source>
        <translation>Filtre {value} sur {levels}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="227"/>
        <source>Draw a digit to see how {key} responds to it.</source>
        <translation>Dessinez un chiffre pour voir comment {key} y réagit.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="230"/>
        <source>Map {value} of {levels}: strongest response {value2} of the layer&apos;s</source>
        <translation>Carte {value} sur {levels} : réponse maximale à {value2} de celle de la couche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="242"/>
        <source>What {layer} looks for ({count} filters)</source>
        <translation>Ce que cherche {layer} ({count} filtres)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="244"/>
        <source>What {layer} looks for ({count} units)</source>
        <translation>Ce que cherche {layer} ({count} neurones)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/network_view.py" line="250"/>
        <source>{name}: {channels} maps of {height}×{width}</source>
        <translation>{name} : {channels} cartes de {height}×{width}</translation>
    </message>
</context>
<context>
    <name>PairwiseTable</name>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="154"/>
        <source>{value} gets {value2} test images right that {value3} gets wrong.</source>
        <translation>{value} reconnaît {value2} images de test que {value3} manque.</translation>
    </message>
</context>
<context>
    <name>PerClassModel</name>
    <message>
        <location filename="../digitpad/gui/evaluation_view.py" line="188"/>
        <source>Precision: of the images read as {name}, the share really {name}.
Recall: of the {support} images of {name}, the share read right.
Click to see them.</source>
        <translation>Précision : parmi les images lues comme {name}, la part qui sont vraiment des {name}.
Rappel : parmi les {support} images de {name}, la part bien lue.
Cliquez pour les voir.</translation>
    </message>
</context>
<context>
    <name>PredictionGallery</name>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="43"/>
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="43"/>
        <source>Mistakes</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="43"/>
        <source>Correct</source>
        <translation>Justes</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="154"/>
        <source>image</source>
        <translation>image</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="154"/>
        <source>images</source>
        <translation>images</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="155"/>
        <source>mistakes</source>
        <translation>erreurs</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="155"/>
        <source>mistake</source>
        <translation>erreur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="156"/>
        <source>right answer</source>
        <translation>bonne réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="156"/>
        <source>right answers</source>
        <translation>bonnes réponses</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="159"/>
        <source>{what} of {name}</source>
        <translation>{what} de {name}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="161"/>
        <source>{what} read right</source>
        <translation>{what} bien lues</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="162"/>
        <source>{what} read as {name}</source>
        <translation>{what} lues comme {name}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="164"/>
        <source>No {what}.</source>
        <translation>Aucune {what}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="166"/>
        <source>1 {what}.</source>
        <translation>1 {what}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="170"/>
        <source>mistakes first</source>
        <translation>erreurs d&apos;abord</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="170"/>
        <source>most confident first</source>
        <translation>les plus sûres d&apos;abord</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="171"/>
        <source>least confident first</source>
        <translation>les moins sûres d&apos;abord</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="172"/>
        <source>{count} {what} · {order}.</source>
        <translation>{count} {what} · {order}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="195"/>
        <source>True</source>
        <translation>Vraie</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="195"/>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="196"/>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="305"/>
        <source>Any</source>
        <translation>Toutes</translation>
    </message>
</context>
<context>
    <name>PredictionGalleryModel</name>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="110"/>
        <source>read it right</source>
        <translation>l&apos;a bien lue</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="110"/>
        <source>read it as {value}</source>
        <translation>l&apos;a lue comme {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/prediction_gallery.py" line="111"/>
        <source>Image {sample}: really {value}; the model {verdict} ({value2} sure).</source>
        <translation>Image {sample} : en réalité {value} ; le modèle {verdict} (sûr à {value2}).</translation>
    </message>
</context>
<context>
    <name>PreprocessStages</name>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="62"/>
        <source>Your drawing</source>
        <translation>Votre dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="63"/>
        <source>The whole drawing shrunk to 28×28, as a plain resize would show it: a small or off-centre digit comes out tiny and out of place, unlike anything the model learned from.</source>
        <translation>Le dessin entier réduit à 28×28, comme le montrerait un simple redimensionnement : un chiffre petit ou décentré en sort minuscule et mal placé, rien à voir avec ce sur quoi le modèle a appris.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="72"/>
        <source>Cropped to the ink</source>
        <translation>Recadré sur l&apos;encre</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="73"/>
        <source>Everything around the ink is cut away, so where and how large the digit was drawn no longer matters.</source>
        <translation>Tout ce qui entoure l&apos;encre est retiré : l&apos;endroit où le chiffre a été dessiné et sa taille ne comptent plus.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="81"/>
        <source>Fitted in 20×20</source>
        <translation>Ajusté dans 20×20</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="82"/>
        <source>The digit is scaled so its longer side is 20 pixels and the pen&apos;s width is brought into MNIST&apos;s range, the size and stroke of every digit the model learned from.</source>
        <translation>Le chiffre est mis à l&apos;échelle pour que son plus grand côté fasse 20 pixels, et l&apos;épaisseur du trait est ramenée dans celle de MNIST : la taille et le trait de tous les chiffres sur lesquels le modèle a appris.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="91"/>
        <source>Centred (what the model reads)</source>
        <translation>Centré (ce que lit le modèle)</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="92"/>
        <source>The digit is moved so its centre of mass sits in the middle of the 28×28 square, where MNIST put every digit&apos;s.</source>
        <translation>Le chiffre est déplacé pour que son centre de masse soit au milieu du carré 28×28, là où MNIST a placé celui de chaque chiffre.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="117"/>
        <source>Your picture</source>
        <translation>Votre image</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="118"/>
        <source>The picture in gray, squeezed to 28×28 as a plain resize would give it: its background is light, where every picture the model learned from has a dark one.</source>
        <translation>L&apos;image en niveaux de gris, écrasée en 28×28 comme le donnerait un simple redimensionnement : son fond est clair, alors que toutes les images sur lesquelles le modèle a appris ont un fond sombre.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="124"/>
        <source>The picture in gray, squeezed to 28×28 as a plain resize would give it.</source>
        <translation>L&apos;image en niveaux de gris, écrasée en 28×28 comme le donnerait un simple redimensionnement.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="129"/>
        <source>Negated</source>
        <translation>Inversée</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="129"/>
        <source>Background kept</source>
        <translation>Fond conservé</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="130"/>
        <source>Fashion-MNIST&apos;s makers negated every photo so the background is dark and the garment bright; this picture is negated the same way.</source>
        <translation>Les auteurs de Fashion-MNIST ont inversé chaque photo pour que le fond soit sombre et le vêtement clair ; cette image est inversée de la même façon.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="136"/>
        <source>Fashion-MNIST&apos;s makers negated every photo so the background is dark and the garment bright; this picture&apos;s background is already dark.</source>
        <translation>Les auteurs de Fashion-MNIST ont inversé chaque photo pour que le fond soit sombre et le vêtement clair ; le fond de cette image est déjà sombre.</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="145"/>
        <source>Fitted and centred (what the model reads)</source>
        <translation>Ajustée et centrée (ce que lit le modèle)</translation>
    </message>
    <message>
        <location filename="../digitpad/core/preprocess_stages.py" line="146"/>
        <source>The longer side is made 28 pixels with the proportions kept and the picture centred, as the data set&apos;s pictures were, so a tall dress is not squashed into a square.</source>
        <translation>Le plus grand côté est ramené à 28 pixels en gardant les proportions et l&apos;image est centrée, comme l&apos;ont été celles du jeu de données : une robe longue n&apos;est pas écrasée en carré.</translation>
    </message>
</context>
<context>
    <name>PreprocessStepsView</name>
    <message>
        <location filename="../digitpad/gui/preprocess_steps_view.py" line="41"/>
        <source>Draw a digit: each step the model&apos;s input goes through appears here, with what the model reads after it.</source>
        <translation>Dessinez un chiffre : chaque étape que traverse l&apos;entrée du modèle apparaît ici, avec ce que le modèle lit après elle.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/preprocess_steps_view.py" line="69"/>
        <source>showing the preprocessing steps</source>
        <translation>affichage des étapes de prétraitement</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <location filename="../digitpad/gui/probability_bars.py" line="44"/>
        <source>Class probabilities</source>
        <translation>Probabilités des classes</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../digitpad/core/finetune.py" line="186"/>
        <source>Drawing {count} of your digits again at other pens and slants…</source>
        <translation>Redessin de {count} de vos chiffres avec d&apos;autres stylos et inclinaisons…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/finetune.py" line="189"/>
        <source>Preparing your digits…</source>
        <translation>Préparation de vos chiffres…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/finetune.py" line="200"/>
        <source>Measuring {model} on {test_set} and on your held-out digits…</source>
        <translation>Mesure de {model} sur {test_set} et sur vos chiffres mis de côté…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/finetune.py" line="227"/>
        <source>Measuring the fine-tuned model on {test_set} and on your held-out digits…</source>
        <translation>Mesure du modèle affiné sur {test_set} et sur vos chiffres mis de côté…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/workflows.py" line="132"/>
        <source>Loading {source}…</source>
        <translation>Chargement de {source}…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/workflows.py" line="140"/>
        <source>Building the model…</source>
        <translation>Construction du modèle…</translation>
    </message>
    <message>
        <location filename="../digitpad/core/workflows.py" line="152"/>
        <source>Testing on {count} images it has never seen…</source>
        <translation>Test sur {count} images jamais vues…</translation>
    </message>
</context>
<context>
    <name>ProgressCard</name>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="29"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="38"/>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="39"/>
        <source>Choose data and a model, then press Start training.</source>
        <translation>Choisissez des données et un modèle, puis appuyez sur Lancer l&apos;entraînement.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="43"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="44"/>
        <source>Loading the data…</source>
        <translation>Chargement des données…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="60"/>
        <source>Epoch {epoch} of {epochs}  ·  batch {batch} of {batches_per_epoch}</source>
        <translation>Époque {epoch} sur {epochs}  ·  lot {batch} sur {batches_per_epoch}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="68"/>
        <source>Stopping after this batch…</source>
        <translation>Arrêt après ce lot…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="72"/>
        <source>Stopped — weights kept</source>
        <translation>Arrêté — poids conservés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="74"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="64"/>
        <source>{samples_per_second} samples/s  ·  {seconds_left}  ·  loss {value}  ·  accuracy {value2}</source>
        <translation>{samples_per_second} exemples/s  ·  {seconds_left}  ·  perte {value}  ·  précision {value2}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="75"/>
        <source>1 epoch in {duration_s}</source>
        <translation>1 époque en {duration_s}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="76"/>
        <source>{epochs_completed} epochs in {duration_s}</source>
        <translation>{epochs_completed} époques en {duration_s}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="78"/>
        <source>{samples_per_second} samples/s</source>
        <translation>{samples_per_second} exemples/s</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="82"/>
        <source>Stopped by you after {batches} batches ({how}) at {speed}.</source>
        <translation>Arrêté par vous après {batches} lots ({how}) à {speed}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="85"/>
        <source>, early stopping kept the best epoch</source>
        <translation>, l&apos;arrêt anticipé a gardé la meilleure époque</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="86"/>
        <source>Trained {how} at {speed}.</source>
        <translation>Entraîné {how} à {speed}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="89"/>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="90"/>
        <source>Stopped before the first batch: there is no model to test or save.</source>
        <translation>Arrêté avant le premier lot : il n&apos;y a pas de modèle à tester ni à enregistrer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="93"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_run.py" line="94"/>
        <source>Training did not finish; see the message above.</source>
        <translation>L&apos;entraînement n&apos;est pas allé au bout ; voir le message ci-dessus.</translation>
    </message>
</context>
<context>
    <name>ResultsTable</name>
    <message>
        <location filename="../digitpad/gui/compare_results.py" line="113"/>
        <source>Best of the compared models</source>
        <translation>Le meilleur des modèles comparés</translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="250"/>
        <source>Tested on {value}: accuracy {test_accuracy}</source>
        <translation>Testé sur {value} : précision {test_accuracy}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="251"/>
        <source>{value}, learning rate {value2}, batch size {value3}</source>
        <translation>{value}, taux d&apos;apprentissage {value2}, taille de lot {value3}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="254"/>
        <source>Fine-tuned from {parent}</source>
        <translation>Ajusté à partir de {parent}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="255"/>
        <source>Model: {model_path}</source>
        <translation>Modèle : {model_path}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="255"/>
        <source>The model was not saved.</source>
        <translation>Le modèle n&apos;a pas été enregistré.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="257"/>
        <source>TensorBoard logs: {tensorboard_dir}</source>
        <translation>Journaux TensorBoard : {tensorboard_dir}</translation>
    </message>
</context>
<context>
    <name>RunsView</name>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Test accuracy</source>
        <translation>Précision de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="56"/>
        <source>Origin</source>
        <translation>Origine</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="59"/>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="59"/>
        <source>Command line</source>
        <translation>Ligne de commande</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="61"/>
        <source>No runs recorded yet</source>
        <translation>Aucun entraînement enregistré pour l&apos;instant</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="63"/>
        <source>Every model trained or fine-tuned here or with “digitpad train” is recorded: its settings, its data, its curves and its test result. Tick runs to overlay their curves and compare them.</source>
        <translation>Chaque modèle entraîné ou ajusté ici ou avec « digitpad train » est enregistré : ses réglages, ses données, ses courbes et son résultat de test. Cochez des entraînements pour superposer leurs courbes et les comparer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="66"/>
        <source>Reading the recorded runs…</source>
        <translation>Lecture des entraînements enregistrés…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="97"/>
        <source>{architecture} (not saved)</source>
        <translation>{architecture} (non enregistré)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="222"/>
        <source>{done} of {planned}</source>
        <translation>{done} sur {planned}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="224"/>
        <source>{epochs} · stopped</source>
        <translation>{epochs} · arrêté</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="231"/>
        <source>{origin} · fine-tune</source>
        <translation>{origin} · ajustement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="302"/>
        <source>Delete ticked…</source>
        <translation>Supprimer les cochés…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="303"/>
        <source>Forget the ticked runs; their models and TensorBoard logs stay</source>
        <translation>Oublier les entraînements cochés ; leurs modèles et journaux TensorBoard restent</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="383"/>
        <source>Forget this run?

{names}</source>
        <translation>Oublier cet entraînement ?

{names}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="383"/>
        <source>Forget these {runs} runs?

{names}</source>
        <translation>Oublier ces {runs} entraînements ?

{names}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="384"/>
        <source>

Their curves and settings are removed from the run log; the models they made and their TensorBoard logs stay.</source>
        <translation>

Leurs courbes et réglages sont retirés du journal ; les modèles produits et leurs journaux TensorBoard restent.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="389"/>
        <source>Delete run</source>
        <translation>Supprimer l&apos;entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="389"/>
        <source>Delete runs</source>
        <translation>Supprimer les entraînements</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="430"/>
        <source>No per-epoch curves (stopped before its first epoch ended): {without}.</source>
        <translation>Pas de courbes par époque (arrêté avant la fin de la première époque) : {without}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="449"/>
        <source>run</source>
        <translation>entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="449"/>
        <source>runs</source>
        <translation>entraînements</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/runs_view.py" line="450"/>
        <source>{total} {noun} recorded in {link} · {ticked} ticked to overlay</source>
        <translation>{total} {noun} enregistrés dans {link} · {ticked} cochés à superposer</translation>
    </message>
</context>
<context>
    <name>SaveToLibrary</name>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="53"/>
        <source>Model name</source>
        <translation>Nom du modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="57"/>
        <source>Use for drawing</source>
        <translation>Utiliser pour le dessin</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="59"/>
        <source>Save the model if needed and recognise drawings with it right away.</source>
        <translation>Enregistrer le modèle si besoin et reconnaître les dessins avec lui tout de suite.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/library_save.py" line="153"/>
        <source>Saved “{name}” to the library ({path}).</source>
        <translation>« {name} » enregistré dans la bibliothèque ({path}).</translation>
    </message>
</context>
<context>
    <name>TeachPanel</name>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="30"/>
        <source>Press 0–9 or click a bar to keep this drawing as that digit in My digits</source>
        <translation>Appuyez sur 0–9 ou cliquez sur une barre pour garder ce dessin comme ce chiffre dans Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="74"/>
        <source>Undo keep</source>
        <translation>Annuler l&apos;ajout</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="75"/>
        <source>Remove the digit just kept from My digits</source>
        <translation>Retirer de Mes chiffres le chiffre qui vient d&apos;être gardé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="82"/>
        <source> of each</source>
        <translation> de chaque</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="83"/>
        <source>How many examples of each digit the guided mode asks for</source>
        <translation>Combien d&apos;exemples de chaque chiffre le mode guidé demande</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="85"/>
        <location filename="../digitpad/gui/teach_panel.py" line="152"/>
        <source>Teach my hand…</source>
        <translation>Apprendre mon écriture…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="88"/>
        <source>digitpad asks for digits, ten at a time; draw each and press Enter</source>
        <translation>digitpad demande des chiffres, dix à la fois ; dessinez chacun et appuyez sur Entrée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="118"/>
        <source>Changed to {label}</source>
        <translation>Changé en {label}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="139"/>
        <source>Removed from My digits</source>
        <translation>Retiré de Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="152"/>
        <source>Stop teaching</source>
        <translation>Arrêter l&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="175"/>
        <source>Round done</source>
        <translation>Série terminée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="180"/>
        <source>Draw a {asked}  ·  {done} of {round_size}</source>
        <translation>Dessinez un {asked}  ·  {done} sur {round_size}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="181"/>
        <source>Draw the digit asked for, then press Enter to keep it (or its own key if you drew another)</source>
        <translation>Dessinez le chiffre demandé, puis appuyez sur Entrée pour le garder (ou sur sa propre touche si vous en avez dessiné un autre)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="184"/>
        <source>Draw a {asked}, then press Enter</source>
        <translation>Dessinez un {asked}, puis appuyez sur Entrée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="207"/>
        <source>Not kept: {message}</source>
        <translation>Non gardé : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="227"/>
        <source>Kept as {label} in My digits</source>
        <translation>Gardé comme {label} dans Mes chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="228"/>
        <source>Kept as {label} in My digits — the model read {predicted}</source>
        <translation>Gardé comme {label} dans Mes chiffres — le modèle a lu {predicted}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="232"/>
        <source>an example</source>
        <translation>un exemple</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="232"/>
        <source>{target} examples</source>
        <translation>{target} exemples</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/teach_panel.py" line="233"/>
        <source>Every digit has {examples}: fine-tune a model on them in My digits.</source>
        <translation>Chaque chiffre a {examples} : ajustez un modèle dessus dans Mes chiffres.</translation>
    </message>
</context>
<context>
    <name>TestSetControls</name>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="125"/>
        <source>Evaluate</source>
        <translation>Évaluer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="127"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>TestSourcePicker</name>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="26"/>
        <source>MNIST test set</source>
        <translation>Jeu de test MNIST</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="26"/>
        <source>Fashion-MNIST test set</source>
        <translation>Jeu de test Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="27"/>
        <source>NumPy datasets (*.npz);;All files (*)</source>
        <translation>Jeux de données NumPy (*.npz);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="57"/>
        <source>File…</source>
        <translation>Fichier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="58"/>
        <source>A .npz file holding x_test/y_test (or x/y), uint8 28×28 digits</source>
        <translation>Un fichier .npz contenant x_test/y_test (ou x/y), des chiffres uint8 28×28</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="60"/>
        <source>Folder…</source>
        <translation>Dossier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="61"/>
        <source>An IDX folder, or a folder of images with one subfolder per label 0-9</source>
        <translation>Un dossier IDX, ou un dossier d&apos;images avec un sous-dossier par étiquette 0-9</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="65"/>
        <source>Test set:</source>
        <translation>Jeu de test :</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="98"/>
        <source>Choose a test set</source>
        <translation>Choisissez un jeu de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/test_source_picker.py" line="104"/>
        <source>Choose a test-set folder</source>
        <translation>Choisissez un dossier de jeu de test</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="130"/>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="131"/>
        <source>Test results</source>
        <translation>Résultats de test</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="133"/>
        <source>Runs</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="135"/>
        <source>Cross-validation</source>
        <translation>Validation croisée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="138"/>
        <source>Tuning</source>
        <translation>Réglage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="168"/>
        <source>Start training</source>
        <translation>Lancer l&apos;entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="172"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="179"/>
        <source>Cross-validate</source>
        <translation>Validation croisée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="184"/>
        <source> folds</source>
        <translation> plis</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="186"/>
        <source>How many folds the training images are dealt into: each is held out once.</source>
        <translation>En combien de plis les images d&apos;entraînement sont réparties : chacun est mis de côté une fois.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="191"/>
        <source>Tune…</source>
        <translation>Régler…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="230"/>
        <source>Training curves</source>
        <translation>Courbes d&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="254"/>
        <source>When training ends, the model is tested on images it has never seen.
Its scores, its confusion matrix and every answer appear here, ready to save and to draw with.</source>
        <translation>À la fin de l&apos;entraînement, le modèle est testé sur des images qu&apos;il n&apos;a jamais vues.
Ses scores, sa matrice de confusion et chacune de ses réponses s&apos;affichent ici, prêts à être enregistrés et à dessiner avec.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="275"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="284"/>
        <source>Model summary</source>
        <translation>Résumé du modèle</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="287"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="287"/>
        <source>Output shape</source>
        <translation>Forme de sortie</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="287"/>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="308"/>
        <source>TensorFlow could not be loaded, so models cannot be built or trained: {message}</source>
        <translation>TensorFlow n&apos;a pas pu être chargé, les modèles ne peuvent donc être ni construits ni entraînés : {message}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="348"/>
        <source>{name}: {total} parameters ({trainable} trainable)</source>
        <translation>{name} : {total} paramètres ({trainable} entraînables)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="351"/>
        <source>{name}: {total} parameters</source>
        <translation>{name} : {total} paramètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="379"/>
        <source>Choose a dataset file or folder first (the File… or Folder… button).</source>
        <translation>Choisissez d&apos;abord un fichier ou un dossier de données (bouton Fichier… ou Dossier…).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="406"/>
        <source>Training {name} for {epochs} epochs…</source>
        <translation>Entraînement de {name} sur {epochs} époques…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="423"/>
        <source>Cross-validating {name} over {folds} folds…</source>
        <translation>Validation croisée de {name} sur {folds} plis…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="453"/>
        <source>Searching hyperparameters for {name}: up to {trials} trials…</source>
        <translation>Recherche d&apos;hyperparamètres pour {name} : jusqu&apos;à {trials} essais…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="462"/>
        <source>Stopping: the trial under way is dropped, the finished ones are kept…</source>
        <translation>Arrêt : l&apos;essai en cours est abandonné, les essais terminés sont gardés…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="507"/>
        <source>Epoch {epoch} of {epochs}: validation accuracy {accuracy}, loss {loss}.</source>
        <translation>Époque {epoch} sur {epochs} : précision de validation {accuracy}, perte {loss}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="530"/>
        <source>Training finished: {accuracy} on the test images. Save it or draw with it.</source>
        <translation>Entraînement terminé : {accuracy} sur les images de test. Enregistrez-le ou dessinez avec.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="554"/>
        <source>Fold {fold}: {accuracy} on its {images} held-out images.</source>
        <translation>Pli {fold} : {accuracy} sur ses {images} images mises de côté.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="570"/>
        <source>Cross-validation stopped after {done} of {folds} folds: {accuracy}.</source>
        <translation>Validation croisée arrêtée après {done} plis sur {folds} : {accuracy}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="573"/>
        <source>Cross-validation finished: {accuracy}.</source>
        <translation>Validation croisée terminée : {accuracy}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="610"/>
        <source>Trial {trial} of at most {trials}</source>
        <translation>Essai {trial} sur {trials} au plus</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="621"/>
        <source>Stopped before the first trial was finished: nothing to show.</source>
        <translation>Arrêté avant la fin du premier essai : rien à montrer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="627"/>
        <source>Search finished; the best model was saved to the library as {path}.</source>
        <translation>Recherche terminée ; le meilleur modèle a été enregistré dans la bibliothèque sous {path}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="633"/>
        <source>The search did not finish; see the message above.</source>
        <translation>La recherche n&apos;est pas allée au bout ; voir le message ci-dessus.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="671"/>
        <source>Stop now: the fold under way is dropped, the finished folds are kept.</source>
        <translation>Arrêter maintenant : le pli en cours est abandonné, les plis terminés sont conservés.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="672"/>
        <source>Stop after the current batch and keep what the model has learnt.</source>
        <translation>Arrêter après le lot en cours et garder ce que le modèle a appris.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="676"/>
        <source>TensorFlow is still loading; training can start in a few seconds.</source>
        <translation>TensorFlow est en cours de chargement ; l&apos;entraînement pourra commencer dans quelques secondes.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="680"/>
        <source>Loading TensorFlow… the layer summary follows in a moment.</source>
        <translation>Chargement de TensorFlow… le résumé des couches suit dans un instant.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="682"/>
        <source>Train the model on the chosen data (Ctrl+Enter).</source>
        <translation>Entraîner le modèle sur les données choisies (Ctrl+Entrée).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/train_tab.py" line="684"/>
        <source>Train this recipe once per fold from scratch, each time testing on the fold held out: the mean accuracy and its spread (the Cross-validation page).</source>
        <translation>Entraîner cette recette depuis zéro une fois par pli, en testant chaque fois sur le pli mis de côté : la précision moyenne et sa dispersion (page Validation croisée).</translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="138"/>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="138"/>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="139"/>
        <source>Accuracy</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="139"/>
        <source>accuracy (%)</source>
        <translation>précision (%)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="234"/>
        <location filename="../digitpad/gui/training_curves.py" line="324"/>
        <source>training (smoothed)</source>
        <translation>entraîn. lissé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="235"/>
        <source>batch</source>
        <translation>lot</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="244"/>
        <location filename="../digitpad/gui/training_curves.py" line="322"/>
        <location filename="../digitpad/gui/training_curves.py" line="350"/>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="331"/>
        <source>training</source>
        <translation>entraînement</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_curves.py" line="405"/>
        <source>validation</source>
        <translation>validation</translation>
    </message>
</context>
<context>
    <name>TrainingForm</name>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="72"/>
        <source>MNIST handwritten digits</source>
        <translation>Chiffres manuscrits MNIST</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="73"/>
        <source>Fashion-MNIST clothing</source>
        <translation>Vêtements Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="74"/>
        <source>File or folder…</source>
        <translation>Fichier ou dossier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="78"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="79"/>
        <source>SGD (momentum 0.9)</source>
        <translation>SGD (momentum 0,9)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="80"/>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="83"/>
        <source>MLP (dense)</source>
        <translation>MLP (dense)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="84"/>
        <source>Seed CNN (small)</source>
        <translation>CNN de départ (petit)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="85"/>
        <source>digitpad CNN (best)</source>
        <translation>CNN digitpad (le meilleur)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="87"/>
        <source>Digit datasets (*.npz *.gz *ubyte);;All files (*)</source>
        <translation>Jeux de chiffres (*.npz *.gz *ubyte);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="187"/>
        <source>DATA</source>
        <translation>DONNÉES</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="193"/>
        <source>MNIST and Fashion-MNIST are downloaded once by Keras; offline, digitpad uses the 10,000 MNIST digits it ships with.</source>
        <translation>MNIST et Fashion-MNIST sont téléchargés une fois par Keras ; hors ligne, digitpad utilise les 10 000 chiffres MNIST qu&apos;il fournit.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="197"/>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="200"/>
        <source>.npz file, IDX folder or folder of digit images</source>
        <translation>fichier .npz, dossier IDX ou dossier d&apos;images de chiffres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="204"/>
        <source>A .npz file (x_train/y_train/x_test/y_test or x/y), a folder of IDX files, or a folder with one subfolder of images per label 0-9.</source>
        <translation>Un fichier .npz (x_train/y_train/x_test/y_test ou x/y), un dossier de fichiers IDX, ou un dossier avec un sous-dossier d&apos;images par étiquette 0-9.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="208"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="211"/>
        <source>Dataset file (.npz, IDX)…</source>
        <translation>Fichier de données (.npz, IDX)…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="212"/>
        <source>Folder (IDX files or images in 0-9 subfolders)…</source>
        <translation>Dossier (fichiers IDX ou images dans des sous-dossiers 0-9)…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="223"/>
        <source>MODEL</source>
        <translation>MODÈLE</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="230"/>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="232"/>
        <source>Open the architecture editor on this network: add, remove and change layers, see each layer&apos;s output shape and weights, and save it under a name of your own.</source>
        <translation>Ouvrir l&apos;éditeur d&apos;architecture sur ce réseau : ajouter, retirer et modifier des couches, voir la forme de sortie et les poids de chaque couche, et l&apos;enregistrer sous un nom de votre choix.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="235"/>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="245"/>
        <location filename="../digitpad/gui/training_form.py" line="287"/>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="246"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="247"/>
        <source>Batch normalization</source>
        <translation>Normalisation par lots</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="248"/>
        <source>Augment: rotate, shift, zoom</source>
        <translation>Augmentation : rotation, décalage, zoom</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="250"/>
        <source>Show the network slightly rotated, shifted and zoomed digits while it trains; slower per epoch but more robust to how people draw.</source>
        <translation>Montrer au réseau des chiffres légèrement tournés, décalés et zoomés pendant l&apos;entraînement ; plus lent par époque mais plus robuste aux façons de dessiner.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="261"/>
        <source>TRAINING</source>
        <translation>ENTRAÎNEMENT</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="265"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="268"/>
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="272"/>
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="274"/>
        <source>Find…</source>
        <translation>Trouver…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="276"/>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="279"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="280"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="281"/>
        <source>Share of the training data held back to draw the validation curve.</source>
        <translation>Part des données d&apos;entraînement réservée pour tracer la courbe de validation.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="283"/>
        <source>Validation</source>
        <translation>Validation</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="286"/>
        <source> epochs</source>
        <translation> époques</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="288"/>
        <source>Early stopping</source>
        <translation>Arrêt anticipé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="291"/>
        <source>The same seed, data and settings give the same model.</source>
        <translation>La même graine, les mêmes données et les mêmes réglages donnent le même modèle.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="292"/>
        <source>Random seed</source>
        <translation>Graine aléatoire</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="293"/>
        <source>Write TensorBoard logs</source>
        <translation>Écrire des journaux TensorBoard</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="295"/>
        <source>Also log every run with Keras&apos; TensorBoard callback, for people who already use TensorBoard (`tensorboard --logdir FOLDER`). digitpad keeps its own record of runs either way.</source>
        <translation>Journaliser aussi chaque entraînement avec le callback TensorBoard de Keras, pour qui utilise déjà TensorBoard (`tensorboard --logdir DOSSIER`). digitpad garde de toute façon son propre historique.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="299"/>
        <source>Each run writes its own subfolder here.</source>
        <translation>Chaque entraînement écrit son propre sous-dossier ici.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="301"/>
        <source>Folder…</source>
        <translation>Dossier…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="313"/>
        <source>Needs the tensorboard package: pip install tensorboard</source>
        <translation>Nécessite le paquet tensorboard : pip install tensorboard</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="331"/>
        <source>Your own network, from {file}.</source>
        <translation>Votre propre réseau, d&apos;après {file}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="339"/>
        <source>This network&apos;s own layers say where it drops units out; edit it to change them.</source>
        <translation>Les couches de ce réseau disent elles-mêmes où il applique le dropout ; modifiez-le pour les changer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="340"/>
        <source>Fraction of hidden units switched off at random during training.</source>
        <translation>Fraction des unités cachées désactivées au hasard pendant l&apos;entraînement.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="342"/>
        <source>This network&apos;s own layers say where it normalizes; edit it to change them.</source>
        <translation>Les couches de ce réseau disent elles-mêmes où il normalise ; modifiez-le pour les changer.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="343"/>
        <source>Normalize each layer&apos;s output over the batch, before its activation.</source>
        <translation>Normaliser la sortie de chaque couche sur le lot, avant son activation.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="356"/>
        <source>{name} (preset)</source>
        <translation>{name} (prédéfini)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="390"/>
        <source>Copy of {name} (unsaved)</source>
        <translation>Copie de {name} (non enregistrée)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="393"/>
        <source>New network</source>
        <translation>Nouveau réseau</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="448"/>
        <source>Stop when validation loss has not improved for this many epochs, keeping the best weights.</source>
        <translation>Arrêter quand la perte de validation ne s&apos;est pas améliorée depuis ce nombre d&apos;époques, en gardant les meilleurs poids.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="450"/>
        <source>Early stopping watches the validation loss: set a validation share first.</source>
        <translation>L&apos;arrêt anticipé surveille la perte de validation : choisissez d&apos;abord une part de validation.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="455"/>
        <source>Choose a dataset file</source>
        <translation>Choisissez un fichier de données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="462"/>
        <source>Choose a dataset folder</source>
        <translation>Choisissez un dossier de données</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="473"/>
        <source>Folder for TensorBoard logs</source>
        <translation>Dossier des journaux TensorBoard</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="483"/>
        <source>TensorFlow could not be loaded, so no rate can be found: {reason}</source>
        <translation>TensorFlow n&apos;a pas pu être chargé, aucun taux ne peut donc être trouvé : {reason}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="518"/>
        <source>TensorFlow is still loading; the learning-rate finder is ready in a few seconds.</source>
        <translation>TensorFlow est encore en cours de chargement ; la recherche du taux d&apos;apprentissage sera prête dans quelques secondes.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="520"/>
        <source>Choose a dataset file or folder first.</source>
        <translation>Choisissez d&apos;abord un fichier ou un dossier de données.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="522"/>
        <source>Train a fresh network for a few hundred batches while its learning rate grows, and suggest a rate from how its loss falls (a learning-rate range test).</source>
        <translation>Entraîner un réseau tout juste initialisé pendant quelques centaines de lots en augmentant son taux d&apos;apprentissage, et proposer un taux d&apos;après la baisse de sa perte (test de plage du taux d&apos;apprentissage).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/training_form.py" line="559"/>
        <source>{network} with {optimizer}</source>
        <translation>{network} avec {optimizer}</translation>
    </message>
</context>
<context>
    <name>TuningView</name>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="44"/>
        <source>Trial</source>
        <translation>Essai</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="44"/>
        <source>Hyperparameters</source>
        <translation>Hyperparamètres</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="45"/>
        <source>Val accuracy</source>
        <translation>Précision val.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="45"/>
        <source>Val loss</source>
        <translation>Perte val.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="46"/>
        <source>Time</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="46"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="49"/>
        <source>Random search</source>
        <translation>Recherche aléatoire</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="50"/>
        <source>Grid search</source>
        <translation>Recherche en grille</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="51"/>
        <source>Hyperband</source>
        <translation>Hyperband</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="95"/>
        <source>Trials</source>
        <translation>Essais</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="96"/>
        <source>Choose what varies, then start: each trial trains the form&apos;s network with one set of values.</source>
        <translation>Choisissez ce qui varie, puis lancez : chaque essai entraîne le réseau du formulaire avec un jeu de valeurs.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="113"/>
        <source>Curves of the selected trials: validation solid, training dashed</source>
        <translation>Courbes des essais sélectionnés : validation en trait plein, entraînement en pointillés</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="130"/>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="137"/>
        <source>Random tries values at random; grid tries every combination (ranges need steps); Hyperband trains many trials briefly and continues the best.</source>
        <translation>L&apos;aléatoire tire des valeurs au hasard ; la grille essaie toutes les combinaisons (les plages demandent un pas) ; Hyperband entraîne brièvement beaucoup d&apos;essais et poursuit les meilleurs.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="146"/>
        <source>Epochs each trial trains (Hyperband: the most any trial trains).</source>
        <translation>Époques d&apos;entraînement par essai (Hyperband : le maximum pour un essai).</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="147"/>
        <source>Algorithm</source>
        <translation>Algorithme</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="148"/>
        <source>At most</source>
        <translation>Au plus</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="149"/>
        <source>Epochs per trial</source>
        <translation>Époques par essai</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="150"/>
        <source> trials</source>
        <translation> essais</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="152"/>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="155"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="157"/>
        <source>Batch normalization on and off</source>
        <translation>Normalisation par lots (oui / non)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="158"/>
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="160"/>
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="162"/>
        <source>Sampled on a log scale between the two rates; grid search steps by 10.</source>
        <translation>Tiré sur une échelle logarithmique entre les deux taux ; la grille avance par facteur 10.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="171"/>
        <location filename="../digitpad/gui/tuning_view.py" line="176"/>
        <source>from</source>
        <translation>de</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="173"/>
        <location filename="../digitpad/gui/tuning_view.py" line="178"/>
        <source>to</source>
        <translation>à</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="180"/>
        <source>step</source>
        <translation>pas</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="191"/>
        <source>The other settings come from the form. Trials are compared on its validation split; the best is tested on the test images and saved to your library.</source>
        <translation>Les autres réglages viennent du formulaire. Les essais sont comparés sur sa part de validation ; le meilleur est testé sur les images de test et enregistré dans votre bibliothèque.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="194"/>
        <source>Start search</source>
        <translation>Lancer la recherche</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="197"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="198"/>
        <source>Stop now: the trial under way is dropped, the finished ones are kept and the best of them saved.</source>
        <translation>Arrêter maintenant : l&apos;essai en cours est abandonné, les essais terminés sont gardés et le meilleur est enregistré.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="235"/>
        <source>Batch sizes are whole numbers separated by commas, such as 32, 64, 128.</source>
        <translation>Les tailles de lot sont des entiers séparés par des virgules, par exemple 32, 64, 128.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="264"/>
        <source>Search under way: up to {trials} trials, each appears here once finished.</source>
        <translation>Recherche en cours : jusqu&apos;à {trials} essais, chacun apparaît ici une fois terminé.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="279"/>
        <location filename="../digitpad/gui/tuning_view.py" line="338"/>
        <source>finished</source>
        <translation>terminé</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="279"/>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="295"/>
        <source> (stopped)</source>
        <translation> (arrêtée)</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="298"/>
        <source>{count} trials in {duration}{stopped}. Best: trial {number}, {accuracy} on the validation images, {test} on {test_label}; saved to the library as {path}.</source>
        <translation>{count} essais en {duration}{stopped}. Meilleur : essai {number}, {accuracy} sur les images de validation, {test} sur {test_label} ; enregistré dans la bibliothèque sous {path}.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="336"/>
        <location filename="../digitpad/gui/tuning_view.py" line="337"/>
        <source>best</source>
        <translation>meilleur</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/tuning_view.py" line="345"/>
        <source>trial {number}</source>
        <translation>essai {number}</translation>
    </message>
</context>
<context>
    <name>WhyLegend</name>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="89"/>
        <source>against</source>
        <translation>contre</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="93"/>
        <source>The overlay&apos;s colours: how much blanking that part of the drawing lowers (warm)
or raises (cool) the model&apos;s confidence in its answer</source>
        <translation>Les couleurs de la superposition : combien masquer cette partie du dessin baisse (chaud)
ou augmente (froid) la confiance du modèle dans sa réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="103"/>
        <source>Why?</source>
        <translation>Pourquoi ?</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="114"/>
        <location filename="../digitpad/gui/explanation_overlay.py" line="124"/>
        <source>for the answer</source>
        <translation>pour la réponse</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="115"/>
        <source>working it out…</source>
        <translation>calcul en cours…</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="115"/>
        <source>appears when you lift the pen</source>
        <translation>apparaît quand vous levez le crayon</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="118"/>
        <source>for {value}</source>
        <translation>pour {value}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="119"/>
        <source>{method} · {elapsed_ms} ms</source>
        <translation>{method} · {elapsed_ms} ms</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/explanation_overlay.py" line="125"/>
        <source>could not be worked out</source>
        <translation>n&apos;a pas pu être calculé</translation>
    </message>
</context>
<context>
    <name>_Job</name>
    <message>
        <location filename="../digitpad/gui/workers.py" line="50"/>
        <source>Unexpected error: {kind}: {error}</source>
        <translation>Erreur inattendue : {kind} : {error}</translation>
    </message>
</context>
<context>
    <name>_StoreWorker</name>
    <message>
        <location filename="../digitpad/gui/digits_service.py" line="131"/>
        <source>Your digits are not available yet.</source>
        <translation>Vos chiffres ne sont pas encore disponibles.</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digits_service.py" line="150"/>
        <source>Unexpected error with your digits: {name__}: {error}</source>
        <translation>Erreur inattendue avec vos chiffres : {name__} : {error}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digits_service.py" line="156"/>
        <source>Your digits cannot be kept: {error}</source>
        <translation>Vos chiffres ne peuvent pas être gardés : {error}</translation>
    </message>
    <message>
        <location filename="../digitpad/gui/digits_service.py" line="160"/>
        <source>Your digits file was damaged; it was moved to {set_aside} and a new one started.</source>
        <translation>Votre fichier de chiffres était endommagé ; il a été déplacé vers {set_aside} et un nouveau a été commencé.</translation>
    </message>
</context>
</TS>
