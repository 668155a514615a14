"""GRU encoder-decoder with dot-product attention over the encoder outputs."""
import keras
from keras import layers

src_vocab, tgt_vocab = 8000, 6000
embed_dim, units = 128, 256

encoder_inputs = keras.Input(shape=(None,), dtype="int32", name="encoder_tokens")
enc_emb = layers.Embedding(src_vocab, embed_dim, mask_zero=True)(encoder_inputs)
encoder_outputs, encoder_state = layers.GRU(units, return_sequences=True, return_state=True)(enc_emb)

decoder_inputs = keras.Input(shape=(None,), dtype="int32", name="decoder_tokens")
dec_emb = layers.Embedding(tgt_vocab, embed_dim, mask_zero=True)(decoder_inputs)
decoder_outputs = layers.GRU(units, return_sequences=True)(dec_emb, initial_state=encoder_state)

context = layers.Attention()([decoder_outputs, encoder_outputs])
merged = layers.Concatenate(axis=-1)([decoder_outputs, context])
logits = layers.Dense(tgt_vocab)(merged)
model = keras.Model([encoder_inputs, decoder_inputs], logits)
