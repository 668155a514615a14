"""rnnshape: explain and lint the shapes and parameter counts of Keras recurrent models."""

__version__ = "0.1.0"
