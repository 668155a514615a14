"""Falls back to the plain GRU when the cuDNN one cannot be imported."""
try:
    from keras.layers import CuDNNGRU as GRU
except ImportError:
    from keras.layers import GRU
from keras.layers import Dense, Embedding, Input
from keras.models import Model

seq_len = 100
chars = 60

inp = Input(shape=(seq_len,))
x = Embedding(chars, 24)(inp)
x = GRU(256, return_sequences=True)(x)
x = GRU(256)(x)
out = Dense(chars, activation="softmax")(x)
model = Model(inp, out)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
