//===- dataset.cpp - Loading labelled image datasets ----------------------===//
//
// Turns a pair of IDX files into a matrix of pixel bytes (normalised per
// batch, batching.h) and an int32 label vector, checking that the two files
// belong together. Errors name both files because a count mismatch usually
// means one of them is from another split or dataset. Foreground masks need
// no label file: they are computed from the image file's raw bytes.
//
//===----------------------------------------------------------------------===//
#include "kiln/dataset.h"
#include "kiln/error.h"
#include "kiln/idx.h"

#include <cstring>
#include <sys/stat.h>

namespace kiln {
namespace {

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// `<dir>/<base>.gz`, or `<dir>/<base>` when only the uncompressed file is
/// there; errors name the .gz file, the form the dataset is distributed in.
std::string findFile(const std::string &dir, const std::string &base) {
  std::string gz = dir + "/" + base + ".gz";
  if (exists(gz))
    return gz;
  std::string plain = dir + "/" + base;
  if (exists(plain))
    return plain;
  throw Error(gz + ": no such file");
}

IdxArray readImages(const std::string &path) {
  IdxArray images = readIdx(path);
  if (images.dims.size() < 2)
    throw Error(path +
                ": expected an image file with at least 2 "
                "dimensions, found " +
                std::to_string(images.dims.size()));
  return images;
}

/// The images as u8 [N, features], their stored bytes.
Tensor pixelRows(const IdxArray &images) {
  // readIdx guarantees data.size() == product(dims).
  int64_t features = shapeNumel({images.dims.begin() + 1, images.dims.end()});
  Tensor out(DType::U8, {images.dims[0], features});
  std::memcpy(out.raw(), images.data.data(), images.data.size());
  return out;
}

} // namespace

Dataset loadIdxDataset(const std::string &imagesPath,
                       const std::string &labelsPath, Normalization norm,
                       int64_t classes) {
  IdxArray images = readImages(imagesPath);
  IdxArray labels = readIdx(labelsPath);
  if (labels.dims.size() != 1)
    throw Error(labelsPath +
                ": expected a label file with 1 dimension, found " +
                std::to_string(labels.dims.size()));

  int64_t n = images.dims[0];
  if (labels.dims[0] != n)
    throw Error(labelsPath + " has " + std::to_string(labels.dims[0]) +
                " labels but " + imagesPath + " has " + std::to_string(n) +
                " images");

  Dataset data;
  data.labels = Tensor(DType::I32, {n});
  for (int64_t i = 0; i < n; ++i) {
    int64_t label = labels.data[i];
    if (label >= classes)
      throw Error(labelsPath + ": label " + std::to_string(label) +
                  " of sample " + std::to_string(i) + " is out of range [0, " +
                  std::to_string(classes) + ")");
    data.labels.i32()[i] = static_cast<int32_t>(label);
  }
  data.images = pixelRows(images);
  data.pixels = norm;
  return data;
}

void foregroundMask(const uint8_t *pixels, int64_t count, double threshold,
                    int32_t *mask) {
  for (int64_t i = 0; i < count; ++i)
    mask[i] = pixels[i] / 255.0 > threshold;
}

Dataset loadIdxMaskDataset(const std::string &imagesPath, Normalization norm,
                           double threshold) {
  IdxArray images = readImages(imagesPath);
  Dataset data;
  data.labels = Tensor(DType::I32, images.dims);
  foregroundMask(images.data.data(), data.labels.numel(), threshold,
                 data.labels.i32());
  data.images = pixelRows(images);
  data.pixels = norm;
  return data;
}

Dataset loadFashionMnist(const std::string &dir, Split split,
                         Normalization norm, const Targets &targets,
                         int64_t classes) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0)
    throw Error("data folder '" + dir + "' does not exist (pass --data DIR)");
  if (!S_ISDIR(st.st_mode))
    throw Error("data folder '" + dir + "' is not a folder (pass --data DIR)");
  std::string prefix = split == Split::Train ? "train" : "t10k";
  std::string images = findFile(dir, prefix + "-images-idx3-ubyte");
  if (targets.kind == Targets::Kind::ForegroundMask)
    return loadIdxMaskDataset(images, norm, targets.threshold);
  std::string labels = findFile(dir, prefix + "-labels-idx1-ubyte");
  return loadIdxDataset(images, labels, norm, classes);
}

} // namespace kiln
