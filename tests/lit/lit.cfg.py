# lit configuration shared by Kiln's IR and tool tests (tests/lit) and the
# end-to-end tests (tests/e2e): each test runs kiln-opt, kilnc or a compiled
# binary and checks the output with FileCheck.
import os

import lit.formats

config.name = config.kiln_suite_name
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".kiln", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = config.kiln_suite_source_dir
config.test_exec_root = config.kiln_suite_binary_dir

path = os.pathsep.join([config.kiln_tools_dir, config.llvm_tools_dir,
                        config.environment.get("PATH", os.environ["PATH"])])
config.environment["PATH"] = path
config.substitutions.append(("%kiln_src", config.kiln_source_dir))
config.substitutions.append(("%python", "/usr/bin/python3"))

# End-to-end tests train on the Fashion-MNIST package's data.
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
