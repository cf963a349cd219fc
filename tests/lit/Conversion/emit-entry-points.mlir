// RUN: kiln-opt --kiln-emit-entry-points %s | FileCheck %s

// Each entry point gets a packed wrapper that loads one buffer pointer per
// argument; the manifest becomes a NUL-terminated global.

module attributes {kiln.manifest = "{}"} {
  llvm.func @model(%a: !llvm.ptr {kiln.role = #kiln.role<input>}, %b: !llvm.ptr) attributes {kiln.entry = #kiln.entry<eval>} {
    llvm.return
  }
}

// CHECK:       llvm.func @model(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) {
// CHECK:       llvm.func @kiln_eval(%[[BUFS:.*]]: !llvm.ptr)
// CHECK:         %[[P0:.*]] = llvm.getelementptr %[[BUFS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[A:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[P1:.*]] = llvm.getelementptr %[[BUFS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[B:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.call @model(%[[A]], %[[B]])
// CHECK:       llvm.mlir.global external constant @kiln_manifest("{}\00")
