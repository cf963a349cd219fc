//===- dataset.h - In-memory labelled image datasets ------------*- C++ -*-===//
//
// A dataset is held fully in memory, images as their stored bytes: Fashion-
// MNIST's 60000 x 784 pixels are 47 MB as bytes and would be 188 MB as
// floats. Each batch normalises the pixels of its samples into the model's
// float type through a 256-entry table, which costs no more than the copy
// it replaces. Labels are class indices from a label file or, for
// segmentation, foreground masks computed from the raw pixels, stored
// expanded to int32 (188 MB for Fashion-MNIST's train split) so that a batch
// copies them. A generated dataset (synthetic_logistic) has float features
// and float targets, used as they are.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_DATASET_H
#define KILN_RUNTIME_DATASET_H

#include "kiln/abi/program.h"
#include "kiln/buffer.h"

#include <cstdint>
#include <string>

namespace kiln {

/// Pixels become (x / 255 - mean) / std.
struct Normalization {
  double mean = 0.0;
  double std = 1.0;
};

/// What the label of a sample is: manifest `data.targets` (docs/runtime.md).
struct Targets {
  /// Classes: the sample's class index, from the label file.
  /// ForegroundMask: per pixel, 1 where pixel / 255 > threshold, else 0.
  using Kind = rt::Targets;
  Kind kind = Kind::Classes;
  double threshold = 0.5; ///< ForegroundMask only.
};

struct Dataset {
  /// u8 [N, features] pixels, each read as (x / 255 - pixels.mean) /
  /// pixels.std; or f32 or f64 [N, features] features as they are.
  Tensor images;
  Normalization pixels;
  /// i32 [N] class indices, each in [0, classes), or i32 [N, H, W]
  /// foreground masks of the images, each 0 or 1; or f32 or f64 [N] targets.
  Tensor labels;

  int64_t size() const {
    return labels.shape().empty() ? 0 : labels.shape()[0];
  }
  int64_t features() const {
    return images.shape().size() == 2 ? images.shape()[1] : 0;
  }
  /// Label elements per sample: 1 for class indices, H * W for masks.
  int64_t labelsPerSample() const {
    return size() ? labels.numel() / size() : 0;
  }
};

enum class Split { Train, Test };

/// Loads an image file and a label file (IDX, gzipped or plain) and checks
/// that they agree: one label per image, every label in [0, classes).
Dataset loadIdxDataset(const std::string &imagesPath,
                       const std::string &labelsPath, Normalization norm,
                       int64_t classes);

/// Loads an image file (IDX, gzipped or plain) whose labels are the
/// foreground masks of its raw pixels (foregroundMask), shaped like the
/// images: i32 [N, H, W] for an [N, H, W] file.
Dataset loadIdxMaskDataset(const std::string &imagesPath, Normalization norm,
                           double threshold);

/// mask[i] = 1 where pixels[i] / 255 > threshold, else 0, for raw (not
/// normalised) pixels, so the mask does not depend on data.normalize.
void foregroundMask(const uint8_t *pixels, int64_t count, double threshold,
                    int32_t *mask);

/// Loads `<dir>/{train,t10k}-images-idx3-ubyte.gz` and, for class targets,
/// `<dir>/{train,t10k}-labels-idx1-ubyte.gz` (an uncompressed file without
/// the .gz suffix is accepted too).
Dataset loadFashionMnist(const std::string &dir, Split split,
                         Normalization norm, const Targets &targets = {},
                         int64_t classes = 10);

/// data.synthetic_logistic: n training points of d features, logits offset
/// by bias, all drawn from seed (docs/runtime.md, *Synthetic data*).
struct SyntheticLogistic {
  int64_t n = 0;
  int64_t d = 0;
  double bias = 0.0;
  uint64_t seed = 0;
};

/// The split of a logistic-regression problem: one w_true ~ N(0, I_d) for
/// both splits, rows x ~ N(0, I_d) and targets y ~ Bernoulli(sigmoid(x .
/// w_true + bias)), 0 or 1. The train split has n points, the test split
/// n / 5 further points. Images f64 [points, d], labels f64 [points].
Dataset generateSyntheticLogistic(const SyntheticLogistic &spec, Split split);

} // namespace kiln

#endif // KILN_RUNTIME_DATASET_H
