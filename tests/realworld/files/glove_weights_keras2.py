"""GloVe vectors passed as weights=[...] to the Embedding, Keras 2 style; tokenizer sizes the vocabulary."""
import numpy as np
from tensorflow.keras.layers import LSTM, Dense, Embedding, SpatialDropout1D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.text import Tokenizer

docs = ["well done", "good work", "great effort", "nice work", "poor effort", "not good"]
tokenizer = Tokenizer()
tokenizer.fit_on_texts(docs)
vocab_size = len(tokenizer.word_index) + 1
max_len = 4
embedding_matrix = np.zeros((vocab_size, 100))

model = Sequential()
model.add(Embedding(vocab_size, 100, weights=[embedding_matrix], input_length=max_len, trainable=False))
model.add(SpatialDropout1D(0.2))
model.add(LSTM(100, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
print(model.summary())
