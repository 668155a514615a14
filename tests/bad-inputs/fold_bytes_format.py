from keras import layers, models
b = b'%0900000000d' % 1
m = models.Sequential([layers.Input((10, 3)), layers.LSTM(4, name=b)])
