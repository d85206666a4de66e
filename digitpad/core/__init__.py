"""Qt-free engine: data, preprocessing, models, training, evaluation, inference, storage."""
