"""Question-pair similarity: one LSTM shared by both questions, compared by difference and dot."""
import keras
from keras import layers

MAXLEN, VOCAB = 30, 50000

q1 = keras.Input(shape=(MAXLEN,), name="q1")
q2 = keras.Input(shape=(MAXLEN,), name="q2")
embed = layers.Embedding(VOCAB, 128)
shared_lstm = layers.LSTM(64)
v1 = shared_lstm(embed(q1))
v2 = shared_lstm(embed(q2))
diff = layers.Subtract()([v1, v2])
dot = layers.Dot(axes=1, normalize=True)([v1, v2])
features = layers.Concatenate()([diff, dot, layers.Maximum()([v1, v2])])
score = layers.Dense(1, activation="sigmoid")(features)
model = keras.Model([q1, q2], score)
