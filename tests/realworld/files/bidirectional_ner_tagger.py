"""Named-entity tagger: word ids in, one tag distribution per word out."""
import tensorflow as tf
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import LSTM, Bidirectional, Dense, Dropout, Embedding, TimeDistributed

sentences = [["EU", "rejects", "German", "call"], ["Peter", "Blackburn"]]
tags = ["O", "B-ORG", "B-MISC", "B-PER", "I-PER"]
words = sorted({w for s in sentences for w in s})
word2idx = {w: i + 2 for i, w in enumerate(words)}  # 0 = padding, 1 = unknown
vocab_size = len(word2idx) + 2
n_tags = len(tags)
MAX_LEN = 75

input_word = Input(shape=(MAX_LEN,))
model = Embedding(input_dim=vocab_size, output_dim=50, mask_zero=True)(input_word)
model = Dropout(0.1)(model)
model = Bidirectional(LSTM(units=100, return_sequences=True, recurrent_dropout=0.1))(model)
out = TimeDistributed(Dense(n_tags, activation="softmax"))(model)
model = Model(input_word, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
