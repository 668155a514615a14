"""Word and part-of-speech ids in a dict, two named heads out in a dict."""
import keras
from keras import layers

NUM_WORDS = 10000
NUM_POS = 18
SEQ_LEN = 40

inputs = {
    "words": keras.Input(shape=(SEQ_LEN,), dtype="int32", name="words"),
    "pos": keras.Input(shape=(SEQ_LEN,), dtype="int32", name="pos"),
}
w = layers.Embedding(NUM_WORDS, 100, name="word_emb")(inputs["words"])
p = layers.Embedding(NUM_POS, 8, name="pos_emb")(inputs["pos"])
h = layers.Concatenate(name="features")([w, p])
h = layers.Bidirectional(layers.GRU(64, return_sequences=True), name="context")(h)
outputs = {
    "tags": layers.Dense(9, activation="softmax", name="tags")(h),
    "sentiment": layers.Dense(1, activation="sigmoid", name="sentiment")(layers.GlobalMaxPooling1D()(h)),
}
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(
    optimizer="adam",
    loss={"tags": "sparse_categorical_crossentropy", "sentiment": "binary_crossentropy"},
)
