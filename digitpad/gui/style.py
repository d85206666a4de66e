"""One light theme for the whole window, so it looks the same on every desktop.

A classroom projector and a dark system theme should not turn the canvas grey or the plots
black, so the app sets the Fusion style, its own palette and pyqtgraph's colours instead of
inheriting the desktop's. The colour constants are shared by every tab's plots and labels.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from digitpad.core.palette import ACCENT, BORDER, ERROR, MUTED, SURFACE, TEXT, VALIDATION

ACCENT_SOFT = "#dbeafe"
BAR = "#cbd5e1"             # probability bars other than the top one
WARNING = "#d97706"         # disagreements between models
WARNING_SOFT = "#fef3c7"
WINDOW = "#f8fafc"
SERIES = (ACCENT, ERROR, "#16a34a", "#9333ea", VALIDATION, "#0891b2")  # one colour per model/curve
ERROR_SOFT = "#fef2f2"
ERROR_BORDER = "#fecaca"
ERROR_TEXT = "#991b1b"
ON_ACCENT = "#ffffff"       # text on a strongly coloured cell or button

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {BORDER}; background: {WINDOW}; }}
QTabBar::tab {{
    padding: 8px 22px; margin-right: 2px; color: {MUTED};
    border: none; border-bottom: 3px solid transparent; font-weight: 600;
}}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 3px solid {ACCENT}; }}
QTabBar::tab:hover:!selected {{ color: {TEXT}; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px; }}
QLabel#caption {{ color: {MUTED}; font-size: 9pt; font-weight: 600; letter-spacing: 0.5px; }}
QLabel#predictionLabel {{ color: {TEXT}; font-weight: 700; }}
QLabel#confidenceLabel {{ color: {MUTED}; font-size: 13pt; }}
QLabel[muted="true"] {{ color: {MUTED}; }}
QPushButton, QToolButton {{
    background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER}; border-radius: 6px;
    padding: 5px 12px;
}}
QPushButton:hover, QToolButton:hover {{ border-color: {ACCENT}; }}
QPushButton:pressed, QToolButton:pressed {{ background: {ACCENT_SOFT}; }}
QPushButton:disabled, QToolButton:disabled {{ color: #a0aec0; border-color: {BORDER}; }}
QToolButton:checked {{ background: {ACCENT_SOFT}; border-color: {ACCENT}; color: {ACCENT}; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: #1d4ed8; }}
QPushButton[primary="true"]:disabled {{ background: #93c5fd; border-color: #93c5fd; color: white; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 8px; }}
"""

# The Train tab's own rules: the error banner, the settings groups and
# the progress bar; set on the tab so they cannot restyle other tabs' widgets of those types.
TRAIN_TAB_STYLESHEET = f"""
QFrame#errorBanner {{ background: {ERROR_SOFT}; border: 1px solid {ERROR_BORDER}; border-radius: 8px; }}
QLabel#errorLabel {{ color: {ERROR_TEXT}; }}
LiveText#progressLabel {{ color: {MUTED}; }}
QLabel#resultsPlaceholder {{ color: {MUTED}; font-size: 11pt; }}
QLabel#paramCountLabel {{ color: {TEXT}; font-weight: 600; }}
QGroupBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px;
    margin-top: 0px; padding: 26px 6px 4px 6px; }}
QGroupBox::title {{ subcontrol-origin: padding; subcontrol-position: top left; left: 14px; top: 10px;
    color: {MUTED}; font-size: 9pt; font-weight: 600; }}
QProgressBar {{ border: 1px solid {BORDER}; border-radius: 6px; background: {SURFACE}; text-align: center;
    min-height: 22px; color: {TEXT}; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 5px; }}
"""

# The Models tab's colours and rules (details, comparisons); set on the tab like the Train tab's.
SUCCESS_SOFT = "#dcfce7"    # models agree; the best value of a comparison column
SUCCESS_BORDER = "#86efac"
SUCCESS_TEXT = "#166534"
WARNING_TEXT = "#92400e"
PLACEHOLDER = "#94a3b8"     # text standing in for missing content ("Draw a digit here", "—")
TRACK = "#f1f5f9"           # the empty part of a probability bar
MODEL_INPUT = "#000000"     # behind the 28x28 image a model sees: MNIST's black

MODELS_TAB_STYLESHEET = f"""
QLabel#detailsTitle {{ font-size: 15pt; font-weight: 700; color: {TEXT}; }}
QLabel#emptyStateTitle {{ font-size: 14pt; font-weight: 600; color: {TEXT}; }}
QLabel#detailsProblem {{ background: {WARNING_SOFT}; color: {WARNING_TEXT}; border: 1px solid {WARNING};
    border-radius: 6px; padding: 6px; }}
QScrollArea#detailsForm, QScrollArea#detailsForm > QWidget > QWidget {{ background: transparent; }}
QFrame#comparePanel {{ border: 1px solid {BORDER}; border-radius: 10px; background: {SURFACE}; }}
QFrame#comparePanel[disagrees="true"] {{ border: 3px solid {WARNING}; }}
QLabel#comparePanelTitle {{ color: {TEXT}; font-weight: 600; border: none; }}
QLabel#comparePanelAnswer {{ color: {TEXT}; font-size: 15pt; font-weight: 700; border: none; }}
QFrame#comparePanel[disagrees="true"] QLabel#comparePanelAnswer {{ color: {WARNING}; }}
QLabel#compareSeen {{ border: 1px solid {BORDER}; background: {MODEL_INPUT}; }}
QLabel#disagreementBanner {{ border-radius: 6px; padding: 4px; font-size: 11pt; font-weight: 600;
    background: {SURFACE}; color: {MUTED}; border: 1px solid {BORDER}; }}
QLabel#disagreementBanner[kind="agree"] {{ background: {SUCCESS_SOFT}; color: {SUCCESS_TEXT};
    border: 1px solid {SUCCESS_BORDER}; }}
QLabel#disagreementBanner[kind="disagree"] {{ background: {WARNING_SOFT}; color: {WARNING_TEXT};
    border: 1px solid {WARNING}; }}
"""

# The Draw tab's rules: the model-input preview and the big answer, greyed while there is none.
DRAW_TAB_STYLESHEET = f"""
QLabel#modelInput {{ background: {MODEL_INPUT}; border: 1px solid {BORDER}; }}
QLabel#predictionLabel[blank="true"] {{ color: {BAR}; }}
QLabel#teachPrompt {{ color: {ON_ACCENT}; background: {ACCENT}; border-radius: 4px; padding: 3px 8px;
                      font-size: 11pt; font-weight: 700; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion + a light palette + the stylesheet; pyqtgraph plots get white backgrounds."""
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f1f5f9"))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Button, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(MUTED))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    app.setWindowIcon(app_icon())
    pg.setConfigOptions(background=SURFACE, foreground=MUTED, antialias=True)


def app_icon() -> QIcon:
    """A hand-drawn 7 on an accent tile, painted at start-up so no image file has to ship."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ACCENT))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
        painter.setPen(QPen(QColor("white"), max(1.5, size * 0.11), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        seven = QPainterPath(QPointF(0.30 * size, 0.28 * size))
        seven.lineTo(0.70 * size, 0.28 * size)
        seven.lineTo(0.44 * size, 0.76 * size)
        painter.drawPath(seven)
        painter.end()
        icon.addPixmap(pixmap)
    return icon

# The evaluation view's headline figures, warnings and sample panes.
EVALUATION_STYLESHEET = f"""
QLabel#evaluationAccuracy {{ color: {TEXT}; font-size: 20pt; font-weight: 700; }}
QLabel#evaluationLoss, QLabel#evaluationMacroF1 {{ color: {TEXT}; font-size: 13pt; font-weight: 600; }}
QLabel#evaluationWarnings {{ background: {WARNING_SOFT}; color: {WARNING_TEXT};
    border: 1px solid {WARNING}; border-radius: 6px; padding: 4px 8px; }}
QLabel#sampleImage, QLabel#sampleExplanation {{ border: 1px solid {BORDER}; background: {SURFACE}; }}
QLabel#evaluationPlaceholder {{ color: {MUTED}; font-size: 11pt; }}
QToolButton#countsButton, QToolButton#rowPercentButton {{ padding: 2px 6px; }}
QScrollArea#sampleScroll, QScrollArea#sampleScroll > QWidget > QWidget {{ background: transparent; }}
"""

# Added to style.DRAW_TAB_STYLESHEET: a switched-on push button ("Why?", "Eraser") in the accent
# colour, and the right column's tabs narrower than the window's, so three titles fit its 410 px.
INSIGHT_STYLESHEET = f"""
QPushButton:checked {{ background: {ACCENT_SOFT}; border-color: {ACCENT}; color: {ACCENT}; }}
QTabWidget#insightTabs QTabBar::tab {{ padding: 6px 10px; }}
QTabWidget#insightTabs::pane {{ border: none; }}
"""

# An answer that differs from the final one is in the warning colour; the stage pictures sit in
# the window's checkable tool buttons (the chosen one in the accent colour, `style.STYLESHEET`).
STEPS_STYLESHEET = f"""
QToolButton#stageImage {{ background: {MODEL_INPUT}; padding: 2px; }}
QToolButton#stageImage:checked {{ background: {ACCENT}; border-color: {ACCENT}; }}
QLabel#stageTitle {{ color: {TEXT}; font-size: 9pt; }}
QLabel#stageAnswer {{ color: {TEXT}; font-weight: 700; }}
QLabel#stageAnswer[differs="true"] {{ color: {WARNING}; }}
QLabel#stageArrow {{ color: {PLACEHOLDER}; font-size: 14pt; }}
QScrollArea#stepsScroll, QScrollArea#stepsScroll > QWidget > QWidget {{ background: transparent; }}
"""

FINETUNE_PANEL_STYLESHEET = f"QLabel#finetuneError {{ color: {ERROR_TEXT}; }}"

MY_DIGITS_TAB_STYLESHEET = f"""
QFrame#noticeBar {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#noticeBar[kind="error"] {{ background: {ERROR_SOFT}; border: 1px solid {ERROR_BORDER}; }}
QFrame#noticeBar[kind="error"] QLabel {{ color: {ERROR_TEXT}; }}
QLabel#galleryGuide {{ color: {MUTED}; font-size: 11pt; padding: 24px; }}
QLabel#accuracyLabel {{ color: {TEXT}; }}
QToolButton[filter="true"] {{ padding: 2px 4px; min-width: 30px; }}
QListView#gallery {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
"""

# The Train tab's "Cross-validation" page (`crossval_view.py`): the figure to quote large, the
# note of a stopped run or sparse labels in the warning colours.
CROSSVAL_STYLESHEET = f"""
QLabel#crossvalAccuracy {{ color: {TEXT}; font-size: 20pt; font-weight: 700; }}
QLabel#crossvalLoss {{ color: {TEXT}; font-size: 12pt; font-weight: 600; }}
QLabel#crossvalTitle {{ color: {TEXT}; }}
QLabel#crossvalNotes {{ background: {WARNING_SOFT}; color: {WARNING_TEXT};
    border: 1px solid {WARNING}; border-radius: 6px; padding: 4px 8px; }}
QLabel#crossvalPlaceholder {{ color: {MUTED}; font-size: 11pt; }}
"""

# The learning-rate finder: each batch's loss faint behind its smoothed curve, the suggested rate
# as a line of its own colour, the status in the error colour when the sweep fails, and a thin
# progress bar (the curve itself shows how far the sweep got; these rules override the Train
# tab's, which the dialog inherits as the form's child).
LR_RAW_LOSS = "#bfdbfe"
LR_SMOOTHED_LOSS = ACCENT
LR_SUGGESTION = SERIES[2]
LR_FINDER_STYLESHEET = f"""
QLabel#lrFinderStatus {{ color: {TEXT}; font-weight: 600; }}
QLabel#lrFinderStatus[kind="error"] {{ color: {ERROR_TEXT}; }}
QProgressBar {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE};
    min-height: 6px; max-height: 6px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
"""

# The Models tab's Export dialog: its heading, and the notice under a result (a difference above
# the tolerance in the warning colours, a failure or a missing package in the error colours).
EXPORT_DIALOG_STYLESHEET = f"""
QLabel#exportTitle {{ color: {TEXT}; font-size: 13pt; font-weight: 600; }}
QLabel#exportNotice {{ border-radius: 6px; padding: 6px 8px; }}
QLabel#exportNotice[kind="warning"] {{ background: {WARNING_SOFT}; color: {WARNING_TEXT}; border: 1px solid {WARNING}; }}
QLabel#exportNotice[kind="error"] {{ background: {ERROR_SOFT}; color: {ERROR_TEXT}; border: 1px solid {ERROR_BORDER}; }}
QProgressBar#exportProgress {{ border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; }}
QProgressBar#exportProgress::chunk {{ background: {ACCENT}; border-radius: 3px; }}
"""

# The architecture editor (`architecture_editor.py`): its title, the summary line green when the
# network has no mistakes and red when it has (the rows themselves use ERROR_TEXT on ERROR_SOFT),
# and a failed save in the error colour.
ARCHITECTURE_EDITOR_STYLESHEET = f"""
QLabel#architectureTitle {{ color: {TEXT}; font-size: 12pt; font-weight: 600; }}
QLabel#architectureSummary[kind="ok"] {{ color: {SUCCESS_TEXT}; }}
QLabel#architectureSummary[kind="error"] {{ color: {ERROR_TEXT}; font-weight: 600; }}
QLabel#architectureStatus[kind="error"] {{ color: {ERROR_TEXT}; }}
"""
