"""Truth builders: for each corpus file, the same architectures written directly in Keras 3.

One module per file in ``files/`` (same stem); one function per model, named like the model
in the manifest, taking the ``keras`` module and returning the built model. Values that the
file takes from its data are written here as the numbers the manifest's ``set`` supplies.
For a model the manifest marks ``keras: rejects``, the function writes the file's code as Keras 3
would run it, and the test asserts that Keras raises.
"""
