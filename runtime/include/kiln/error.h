//===- error.h - The runtime's error type -----------------------*- C++ -*-===//
//
// Every recoverable failure in the runtime (bad input files, a malformed
// manifest, I/O errors) is thrown as kiln::Error. runTrainingMain catches it
// at the top and prints `kiln: error: <message>`, so messages are written to
// stand alone: they name the file or flag involved and say what was expected.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ERROR_H
#define KILN_RUNTIME_ERROR_H

#include <stdexcept>
#include <string>

namespace kiln {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace kiln

#endif // KILN_RUNTIME_ERROR_H
