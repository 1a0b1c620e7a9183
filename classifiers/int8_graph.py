"""The shipped int8 encoder graph: an fp32 ONNX graph rewritten so that every row is computed on its own.

onnxruntime's ``quantize_dynamic`` quantises activations with one scale per tensor, so a message's embedding would
move with the other messages of its batch. :func:`quantize_int8` instead gives each MatMul with a constant weight int8
weights with one scale per output channel and int8 activations with one scale per token row, and stores the token
embedding table as int8 with one scale per vocabulary entry. Used by :mod:`classifiers.encoder_build`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WEIGHT_LEVELS = 63
"""Largest weight code. x86 CPUs without VNNI multiply uint8 activations by int8 weights with ``vpmaddubsw``, which
saturates a pair of products at 32,767: with codes within ±63 no pair can reach it (2 × 255 × 63 = 32,130), so the
integer products, and hence the embeddings, are the same on every CPU (with ±127 they moved by up to 0.02)."""


def quantize_int8(onnx_path: Path, int8_path: Path) -> None:
    """Rewrite the fp32 graph into an int8 graph whose every row is computed independently of its batch-mates.

    Each MatMul with a constant weight gets int8 weights (codes within ``WEIGHT_LEVELS``) with one scale per output
    channel and int8 activations with one scale per token row (:func:`_row_quantizer`, :func:`_row_matmul`):
    onnxruntime's ``quantize_dynamic`` instead takes one activation scale per tensor, so a message's embedding would
    move with the other messages of its batch. The token embedding table is stored as int8 with one scale per
    vocabulary entry (:func:`_token_table`). The attention products, layer norms and everything else stay float32.
    """
    model = onnx.load(str(onnx_path))
    weights = {tensor.name: tensor for tensor in model.graph.initializer}
    constants = {
        "row_step": np.array(1 / 127, np.float32),
        "row_zero": np.array(128, np.uint8),
        "row_one": np.array(1.0, np.float32),
        "row_eps": np.array(1e-8, np.float32),
        "row_axis": np.array([1], np.int64),
    }
    # Every activation a weight multiplies is (batch, sequence, width): its rows are the input's token positions.
    nodes = [
        helper.make_node("Shape", ["input_ids"], ["row_lead"]),
        helper.make_node("ReduceProd", ["row_lead"], ["row_count"], keepdims=1),
        helper.make_node("Expand", ["row_zero", "row_count"], ["row_zeros"]),
    ]
    quantized: dict[str, tuple[str, str]] = {}
    replaced: set[str] = set()
    for node in model.graph.node:
        if node.op_type == "Gather" and node.input[0] in weights and node.input[1] == "input_ids":
            _token_table(node, numpy_helper.to_array(weights[node.input[0]]), constants, nodes)
            replaced.add(node.input[0])
            continue
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        weight = numpy_helper.to_array(weights[node.input[1]])
        scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / WEIGHT_LEVELS
        constants[node.name + "_q"] = np.clip(np.round(weight / scale), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
        constants[node.name + "_s"] = scale.astype(np.float32)
        replaced.add(node.input[1])
        for width in weight.shape:
            if f"row_n{width}" not in constants:
                constants[f"row_k{width}"] = np.array([-1, width], np.int64)
                constants[f"row_n{width}"] = np.array([width], np.int64)
                nodes.append(helper.make_node("Concat", ["row_lead", f"row_n{width}"], [f"row_shape{width}"], axis=0))
        if node.input[0] not in quantized:
            quantized[node.input[0]] = _row_quantizer(node.input[0], f"rq{len(quantized)}_", weight.shape[0], nodes)
        _row_matmul(node, quantized[node.input[0]], weight.shape[1], nodes)
    added = [numpy_helper.from_array(value, name) for name, value in constants.items()]
    save_rewritten(model, nodes, replaced, added, int8_path)


def save_rewritten(
    model: onnx.ModelProto, nodes: list, replaced: set[str], added: list[onnx.TensorProto], path: Path
) -> None:
    """Save ``model`` with ``nodes`` as its graph, the ``replaced`` initializers swapped for ``added`` ones.

    The graph may use onnxruntime's contrib operators (domain ``com.microsoft``), so that opset is declared too.
    """
    kept = [tensor for tensor in model.graph.initializer if tensor.name not in replaced]
    model.graph.ClearField("node")
    model.graph.node.extend(nodes)
    model.graph.ClearField("initializer")
    model.graph.initializer.extend(kept + added)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(path))


def _token_table(node: onnx.NodeProto, table: np.ndarray, constants: dict[str, np.ndarray], nodes: list) -> None:
    """Nodes for the token embedding lookup from an int8 table with one float scale per vocabulary entry."""
    scale = np.maximum(np.abs(table).max(axis=1, keepdims=True), 1e-12) / 127.0
    constants[node.name + "_q"] = np.clip(np.round(table / scale), -127, 127).astype(np.int8)
    constants[node.name + "_s"] = scale.astype(np.float32)
    p = node.name + "_"
    nodes += [
        helper.make_node("Gather", [node.name + "_q", node.input[1]], [p + "codes"]),
        helper.make_node("Cast", [p + "codes"], [p + "values"], to=TensorProto.FLOAT),
        helper.make_node("Gather", [node.name + "_s", node.input[1]], [p + "scales"]),
        helper.make_node("Mul", [p + "values", p + "scales"], list(node.output)),
    ]


def _row_quantizer(source: str, prefix: str, width: int, nodes: list) -> tuple[str, str]:
    """Nodes that quantise ``source`` (batch, sequence, width) per token row; returns (uint8 rows, row scales).

    The rows come out flattened to (batch * sequence, width). A row's scale is its largest absolute value / 127,
    with zero point 128, so each token uses the full int8 range whatever the other rows hold.
    """
    p = prefix
    nodes += [
        helper.make_node("Reshape", [source, f"row_k{width}"], [p + "flat"]),
        helper.make_node("ReduceMax", [p + "flat"], [p + "max"], axes=[1], keepdims=0),
        helper.make_node("ReduceMin", [p + "flat"], [p + "min"], axes=[1], keepdims=0),
        helper.make_node("Neg", [p + "min"], [p + "neg"]),
        helper.make_node("Max", [p + "max", p + "neg", "row_eps"], [p + "abs"]),
        helper.make_node("Mul", [p + "abs", "row_step"], [p + "scale"]),
        helper.make_node("QuantizeLinear", [p + "flat", p + "scale", "row_zeros"], [p + "q"], axis=0),
        helper.make_node("Unsqueeze", [p + "scale", "row_axis"], [p + "column"]),
    ]
    return p + "q", p + "column"


def _row_matmul(node: onnx.NodeProto, quantized: tuple[str, str], width: int, nodes: list) -> None:
    """Nodes for one MatMul on per-row quantised input: integer product scaled per column, then per row.

    The product is reshaped back to (batch, sequence, width), the shape the original MatMul gave.
    """
    rows, scale = quantized
    p = node.name + "_"
    nodes += [
        helper.make_node(
            "MatMulIntegerToFloat",
            [rows, node.name + "_q", "row_one", node.name + "_s", "row_zero"],
            [p + "columns"],
            domain="com.microsoft",
        ),
        helper.make_node("Mul", [p + "columns", scale], [p + "scaled"]),
        helper.make_node("Reshape", [p + "scaled", f"row_shape{width}"], list(node.output)),
    ]
