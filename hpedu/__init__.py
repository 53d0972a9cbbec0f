"""hpedu: learn hyperparameters and hyperparameter tuning in the terminal."""

__version__ = "0.1.0"
