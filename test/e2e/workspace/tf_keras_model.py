"""A tf.keras functional model (TensorFlow 2)."""
import tensorflow as tf

inputs = tf.keras.Input(shape=(64, 64, 3))
x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
outputs = tf.keras.layers.Dense(5)(x)
model = tf.keras.Model(inputs, outputs, name="tiny_tf")
