//===- dataset_test.cpp - Tests of dataset loading ------------------------===//
//
// Checks normalisation, the consistency checks between image and label files
// and, when the real dataset is installed, Fashion-MNIST's test split.
//
//===----------------------------------------------------------------------===//
#include "kiln/dataset.h"
#include "kiln/error.h"
#include "test_util.h"

#include <gtest/gtest.h>

using namespace kiln;
using namespace kiln::test;

namespace {

constexpr const char *kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

std::string loadError(const std::string &images, const std::string &labels,
                      int64_t classes = 10) {
  try {
    loadIdxDataset(images, labels, {}, classes);
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "loading did not throw";
  return "";
}

TEST(Dataset, KeepsPixelsAndTheirNormalisation) {
  TempDir dir;
  writeBytes(dir.file("img.gz"),
             idxBytes({2, 2, 2}, {0, 255, 51, 102, 0, 0, 0, 0}), true);
  writeBytes(dir.file("lbl"), idxBytes({2}, {3, 9}), false);
  Normalization norm{0.5, 0.25};
  Dataset data = loadIdxDataset(dir.file("img.gz"), dir.file("lbl"), norm, 10);
  ASSERT_EQ(data.size(), 2);
  EXPECT_EQ(data.features(), 4);
  EXPECT_EQ(data.images.shape(), (std::vector<int64_t>{2, 4}));
  // The stored bytes, normalised per batch (batching_test.cpp).
  EXPECT_EQ(data.images.dtype(), DType::U8);
  EXPECT_EQ(std::vector<uint8_t>(data.images.u8(), data.images.u8() + 4),
            (std::vector<uint8_t>{0, 255, 51, 102}));
  EXPECT_EQ(data.pixels.mean, 0.5);
  EXPECT_EQ(data.pixels.std, 0.25);
  EXPECT_EQ(data.labels.i32()[0], 3);
  EXPECT_EQ(data.labels.i32()[1], 9);
}

TEST(Dataset, LabelCountMismatch) {
  TempDir dir;
  std::string images = dir.file("train-images-idx3-ubyte.gz");
  std::string labels = dir.file("train-labels-idx1-ubyte.gz");
  writeBytes(images, idxBytes({5, 2, 2}, std::vector<uint8_t>(20)), true);
  writeBytes(labels, idxBytes({4}, {0, 1, 2, 3}), true);
  EXPECT_EQ(loadError(images, labels),
            labels + " has 4 labels but " + images + " has 5 images");
}

TEST(Dataset, LabelOutOfRange) {
  TempDir dir;
  std::string images = dir.file("i.gz");
  std::string labels = dir.file("l.gz");
  writeBytes(images, idxBytes({3, 1, 1}, {0, 0, 0}), true);
  writeBytes(labels, idxBytes({3}, {0, 9, 10}), true);
  EXPECT_EQ(loadError(images, labels),
            labels + ": label 10 of sample 2 is out of range [0, 10)");
}

TEST(Dataset, WrongRank) {
  TempDir dir;
  std::string images = dir.file("i.gz");
  std::string labels = dir.file("l.gz");
  writeBytes(images, idxBytes({3, 1, 1}, {0, 0, 0}), true);
  writeBytes(labels, idxBytes({3, 1}, {0, 1, 2}), true);
  EXPECT_EQ(loadError(images, labels),
            labels + ": expected a label file with 1 dimension, found 2");
  std::string flat = dir.file("flat.gz");
  writeBytes(flat, idxBytes({3}, {0, 1, 2}), true);
  EXPECT_EQ(loadError(flat, flat),
            flat + ": expected an image file with at least 2 dimensions, "
                   "found 1");
}

TEST(Dataset, MissingFolder) {
  try {
    loadFashionMnist("/nonexistent/kiln-data", Split::Train, {});
    FAIL() << "did not throw";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "data folder '/nonexistent/kiln-data' does not "
                           "exist (pass --data DIR)");
  }
}

TEST(Dataset, MissingFileInFolder) {
  TempDir dir;
  writeBytes(dir.file("train-images-idx3-ubyte.gz"), idxBytes({1, 1, 1}, {0}),
             true);
  try {
    loadFashionMnist(dir.path(), Split::Train, {});
    FAIL() << "did not throw";
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()),
              dir.file("train-labels-idx1-ubyte.gz") + ": no such file");
  }
}

TEST(Dataset, AcceptsUncompressedFiles) {
  TempDir dir;
  writeBytes(dir.file("t10k-images-idx3-ubyte"), idxBytes({1, 1, 2}, {0, 255}),
             false);
  writeBytes(dir.file("t10k-labels-idx1-ubyte"), idxBytes({1}, {4}), false);
  Dataset data = loadFashionMnist(dir.path(), Split::Test, {});
  EXPECT_EQ(data.size(), 1);
  EXPECT_EQ(data.labels.i32()[0], 4);
}

TEST(Dataset, RealFashionMnistTestSplit) {
  if (!fileExists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "Fashion-MNIST is not installed in " << kFashionMnistDir;
  Dataset data =
      loadFashionMnist(kFashionMnistDir, Split::Test, {0.286, 0.353});
  ASSERT_EQ(data.size(), 10000);
  EXPECT_EQ(data.features(), 784);
  std::vector<int> histogram(10);
  for (int64_t i = 0; i < data.size(); ++i)
    ++histogram.at(data.labels.i32()[i]);
  EXPECT_EQ(histogram, std::vector<int>(10, 1000));
  double sum = 0;
  for (int64_t i = 0; i < data.images.numel(); ++i)
    sum += (data.images.u8()[i] / 255.0 - 0.286) / 0.353;
  // Normalised with the training set's statistics, the test set's mean
  // pixel is close to zero.
  EXPECT_NEAR(sum / data.images.numel(), 0.0, 0.05);
}

} // namespace
