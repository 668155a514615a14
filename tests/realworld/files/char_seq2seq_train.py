"""Character-level English-to-French translation, training model (token counts from the text)."""
import numpy as np
import keras

batch_size = 64
epochs = 100
latent_dim = 256

pairs = [("Go.", "Va !"), ("Hi.", "Salut !"), ("Run!", "Cours !"), ("Wow!", "Ça alors !")]
input_texts, target_texts = [], []
input_characters, target_characters = set(), set()
for input_text, target_text in pairs:
    target_text = "\t" + target_text + "\n"  # tab starts, newline ends a target
    input_texts.append(input_text)
    target_texts.append(target_text)
    input_characters.update(input_text)
    target_characters.update(target_text)

input_characters = sorted(list(input_characters))
target_characters = sorted(list(target_characters))
num_encoder_tokens = len(input_characters)
num_decoder_tokens = len(target_characters)
max_encoder_seq_length = max([len(txt) for txt in input_texts])
max_decoder_seq_length = max([len(txt) for txt in target_texts])

# Encoder: keep only its final states.
encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
encoder = keras.layers.LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]

# Decoder: starts from the encoder's states and returns full sequences.
decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))
decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.save("s2s_model.keras")
