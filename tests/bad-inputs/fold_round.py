from keras import layers, models
n = round(4, -10**15)
m = models.Sequential([layers.Input((10, 3)), layers.LSTM(n)])
