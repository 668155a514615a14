from keras import layers, models
b = b'x' * 10**9
m = models.Sequential([layers.Input((10, 3)), layers.LSTM(4, name=b)])
