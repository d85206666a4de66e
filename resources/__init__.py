"""Data files shipped inside the wheel: the default model and the bundled MNIST subset."""
