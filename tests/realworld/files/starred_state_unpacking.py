"""An encoder whose states are gathered with starred unpacking, Keras 3 style."""
import keras
from keras import layers

VOCAB = 5000
EMBED = 64
UNITS = 128

src = keras.Input(shape=(None,), dtype="int32", name="source")
x = layers.Embedding(VOCAB, EMBED, mask_zero=True)(src)
enc_out, *enc_states = layers.LSTM(UNITS, return_sequences=True, return_state=True)(x)

tgt = keras.Input(shape=(None,), dtype="int32", name="target")
y = layers.Embedding(VOCAB, EMBED, mask_zero=True)(tgt)
dec_out, *_ = layers.LSTM(UNITS, return_sequences=True, return_state=True)(y, initial_state=enc_states)
logits = layers.Dense(VOCAB)(dec_out)

translator = keras.Model(inputs=[src, tgt], outputs=logits, name="translator")
translator.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
