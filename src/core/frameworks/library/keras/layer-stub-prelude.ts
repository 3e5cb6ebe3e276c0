// The opening of a Python stub for a library of Keras layers (keras_hub.layers,
// tensorflow_addons.layers): the imports, and a module __getattr__ that makes a layer class the
// stub does not define an unmodelled Keras layer of that name (output and weights not known),
// so that a model through it keeps its other layers.

export const KERAS_LAYER_STUB_PRELUDE = `
import keras
from keras import ops


def __getattr__(name):
    return getattr(keras.layers, name)
`;
