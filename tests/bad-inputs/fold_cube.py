from keras import layers, models
c = [[[1] * 10000] * 10000] * 10000
m = models.Sequential([layers.Input((10, 3)), layers.LSTM(c)])
