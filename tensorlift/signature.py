"""Plain data passed between stages: what analysis says about a kernel, and its examples."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    import numpy as np


@dataclass
class Param:
    """One parameter, or one field of a struct parameter (`a.vals`, `a.dimensions[0]`)."""
    name: str
    kind: str                           # "array" | "scalar"
    dtype: str                          # a C type, named as in `carith.DTYPES`
    access: Optional[str] = None        # arrays: "read" | "write" | "readwrite"
    shape: Optional[list[str]] = None   # arrays: affine expressions over dimension scalars
    role: Optional[str] = None          # scalars: "dimension" | "stride" | "offset" | "value" | "flag"
    macro: Optional[int] = None         # a size macro (`#define N 64`), not a parameter: its value
    size_of: Optional[str] = None       # a C++ vector's size (`base.size()`), not a parameter
    strides: Optional[list[str]] = None # arrays whose rows lie apart in the C's buffer (`m` for [n, m-1])
    offset: Optional[str] = None        # arrays read at an offset: where the window starts in the C's buffer

    def to_json(self) -> dict:
        d = {"name": self.name, "kind": self.kind, "dtype": self.dtype}
        if self.kind == "array":
            d["access"] = self.access
            d["shape"] = list(self.shape or [])
            if self.offset:
                d["offset"] = self.offset
        else:
            d["role"] = self.role
        if self.macro is not None:
            d["macro"] = self.macro
        if self.strides is not None:
            d["strides"] = list(self.strides)
        return d


@dataclass
class Signature:
    function: str
    params: list[Param]
    returns: Optional[str] = None       # dtype of the returned value, if any
    tied_sizes: list[list[str]] = field(default_factory=list)
    returns_shape: Optional[list[str]] = None   # a returned vector's shape (None: a scalar)
    types_used: Optional[list[str]] = None      # C types the kernel declares or casts to (None: unknown)
    region: Optional[str] = None        # a region's name (`forward:120-131`); `function` is its outlined name
    origins: dict[str, str] = field(default_factory=dict)   # a region's parameter -> what it is in the C

    @property
    def title(self) -> str:
        """What the code was lifted from, as emitted code says it."""
        return f"{self.function} (the region {self.region})" if self.region else self.function

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def call_params(self) -> list[Param]:
        """What the kernel is called with (and so emitted code): a C++ vector's sizes come
        with the vector, not as parameters."""
        return [p for p in self.params if p.size_of is None]

    @property
    def arrays(self) -> list[Param]:
        return [p for p in self.params if p.kind == "array"]

    @property
    def dimensions(self) -> list[str]:
        return [p.name for p in self.params if p.role == "dimension"]

    @property
    def outputs(self) -> list[str]:
        """Names a program must define: the returned value first, then written arrays in C order."""
        outs = [self.function] if self.returns else []
        return outs + [p.name for p in self.params if p.kind == "array" and p.access in ("write", "readwrite")]

    def dtype_of(self, name: str) -> str:
        if name == self.function and self.returns:
            return self.returns
        return self.param(name).dtype

    def to_json(self) -> dict:
        d = {
            "function": self.function,
            "params": [p.to_json() for p in self.params if p.size_of is None],
            "returns": ({"dtype": self.returns, **({"shape": list(self.returns_shape)}
                                                    if self.returns_shape is not None else {})}
                        if self.returns else None),
            "tied_sizes": [list(t) for t in self.tied_sizes],
        }
        sizes = [p.name for p in self.params if p.size_of is not None]
        if sizes:
            d["sizes"] = sizes
        return d


Value = Union["np.ndarray", int, float]


@dataclass
class Example:
    """One run of the real C code. `inputs` holds every parameter's value before the call
    (arrays shaped as analysed, scalars as numbers; readwrite arrays with their initial
    contents); `outputs` holds each written array after the call and the returned value
    under the function's name."""
    sizes: dict[str, int]
    inputs: dict[str, Value]
    outputs: dict[str, Value]

    def to_json(self) -> dict:
        return {
            "sizes": dict(self.sizes),
            "inputs": {k: _plain(v) for k, v in self.inputs.items()},
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
        }


def _plain(v: Value):
    import numpy as np
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v
