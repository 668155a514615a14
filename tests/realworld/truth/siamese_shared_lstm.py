def model(keras):
    L = keras.layers
    q1, q2 = keras.Input(shape=(30,)), keras.Input(shape=(30,))
    embed, lstm = L.Embedding(50000, 128), L.LSTM(64)
    v1, v2 = lstm(embed(q1)), lstm(embed(q2))
    features = L.Concatenate()([L.Subtract()([v1, v2]), L.Dot(axes=1, normalize=True)([v1, v2]), L.Maximum()([v1, v2])])
    return keras.Model([q1, q2], L.Dense(1, activation="sigmoid")(features))
