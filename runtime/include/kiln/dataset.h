//===- dataset.h - In-memory classification datasets ------------*- C++ -*-===//
//
// A dataset is held fully in memory as float32 features, already normalised,
// plus int32 labels: Fashion-MNIST is 60000 x 784 floats (188 MB), and
// normalising once up front keeps per-step work to a memcpy per sample.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_DATASET_H
#define KILN_RUNTIME_DATASET_H

#include "kiln/buffer.h"

#include <cstdint>
#include <string>

namespace kiln {

/// Pixels become (x / 255 - mean) / std.
struct Normalization {
  double mean = 0.0;
  double std = 1.0;
};

struct Dataset {
  Tensor images; ///< f32 [N, features]
  Tensor labels; ///< i32 [N], each in [0, classes)

  int64_t size() const { return labels.numel(); }
  int64_t features() const {
    return images.shape().size() == 2 ? images.shape()[1] : 0;
  }
};

enum class Split { Train, Test };

/// Loads an image file and a label file (IDX, gzipped or plain) and checks
/// that they agree: one label per image, every label in [0, classes).
Dataset loadIdxDataset(const std::string &imagesPath,
                       const std::string &labelsPath, Normalization norm,
                       int64_t classes);

/// Loads `<dir>/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz` (an
/// uncompressed file without the .gz suffix is accepted too).
Dataset loadFashionMnist(const std::string &dir, Split split,
                         Normalization norm, int64_t classes = 10);

} // namespace kiln

#endif // KILN_RUNTIME_DATASET_H
