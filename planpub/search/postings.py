"""Binary encoding of the index's posting lists and shard files (the format is described in `planpub.search`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

KIND_DELTAS = 0
KIND_BITMAP = 1


def gram_hash(gram: str) -> int:
    """32-bit FNV-1a over the code points of a gram; the browser computes the same with Math.imul."""
    value = 0x811C9DC5
    for char in gram:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(gram: str, shards: int) -> int:
    return gram_hash(gram) % shards


def write_varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def read_varint(data: bytes, offset: int) -> tuple[int, int]:
    """The value at `offset` and the offset after it."""
    value = shift = 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7


def _varints(values: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Non-negative values as consecutive varints, and where each value's bytes end."""
    lengths = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35, 42, 49, 56):
        lengths += values >= (1 << bits)
    ends = np.cumsum(lengths)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - lengths
    for byte in range(int(lengths.max()) if len(lengths) else 0):
        here = lengths > byte
        more = (lengths[here] > byte + 1).astype(np.int64) << 7
        out[starts[here] + byte] = ((values[here] >> (7 * byte)) & 0x7F) | more
    return out, ends


def encode_lists(numbers: npt.NDArray[np.integer], starts: npt.NDArray[np.int64], count: int) -> list[bytes]:
    """Many lists of plan numbers below `count` at once: list i is `numbers[starts[i]:starts[i + 1]]`, ascending
    (`starts` holds one offset more than there are lists). Each list is written as gaps or as a bitmap, whichever
    is smaller, after a header `length << 1 | kind` giving the byte length of the body."""
    bitmap_size = (count + 7) // 8
    sizes = np.diff(starts)
    gaps = numbers.astype(np.int64)
    gaps[1:] -= numbers[:-1]
    # The first gap of every list counts from -1.
    first = starts[:-1][sizes > 0]
    gaps[first] = numbers[first] + 1
    gap_bytes, gap_ends = _varints(gaps)
    # Where each list's gaps begin and end in `gap_bytes`.
    offsets = np.concatenate(([0], gap_ends))[starts]
    # Every gap takes at least a byte, so a list of bitmap_size numbers or more is never smaller as gaps.
    as_gaps = (sizes < bitmap_size) & (np.diff(offsets) <= bitmap_size)
    encoded = []
    raw = gap_bytes.tobytes()
    bounds = offsets.tolist()
    for index, (size, gapped) in enumerate(zip(sizes.tolist(), as_gaps.tolist(), strict=True)):
        if gapped or size == 0:
            body, kind = raw[bounds[index]:bounds[index + 1]], KIND_DELTAS
        else:
            bits = np.zeros(bitmap_size * 8, dtype=np.bool_)
            bits[numbers[starts[index]:starts[index + 1]]] = True
            body, kind = np.packbits(bits, bitorder="little").tobytes(), KIND_BITMAP
        header = bytearray()
        write_varint(header, len(body) << 1 | kind)
        encoded.append(bytes(header) + body)
    return encoded


def encode_list(ids: Sequence[int], count: int) -> bytes:
    """One list of ascending plan numbers below `count` (see `encode_lists`)."""
    return encode_lists(np.asarray(ids, dtype=np.int64), np.array([0, len(ids)], dtype=np.int64), count)[0]


def decode_list(data: bytes, offset: int) -> tuple[list[int], int]:
    header, offset = read_varint(data, offset)
    end = offset + (header >> 1)
    ids: list[int] = []
    if header & 1 == KIND_BITMAP:
        for index in range(offset, end):
            byte = data[index]
            ids.extend((index - offset) * 8 + bit for bit in range(8) if byte >> bit & 1)
    else:
        previous = -1
        while offset < end:
            gap, offset = read_varint(data, offset)
            previous += gap
            ids.append(previous)
    return ids, end


LISTS = 6
"""Lists per gram: the plans containing it anywhere, in the title or metadata, in the title, in a heading, at
least twice and at least five times (title, metadata and text counted together)."""


def join_entry(gram: str, encoded_lists: Sequence[bytes]) -> bytes:
    """A shard entry from its gram and its lists, already encoded."""
    raw = gram.encode("utf-8")
    out = bytearray()
    write_varint(out, len(raw))
    return bytes(out) + raw + b"".join(encoded_lists)


def encode_entry(gram: str, lists: Sequence[Sequence[int]], count: int) -> bytes:
    return join_entry(gram, [encode_list(ids, count) for ids in lists])


def decode_shard(data: bytes) -> Iterator[tuple[str, list[list[int]]]]:
    """Every entry of a shard: the gram and its lists (see `LISTS`)."""
    offset = 0
    while offset < len(data):
        length, offset = read_varint(data, offset)
        gram = data[offset:offset + length].decode("utf-8")
        offset += length
        lists = []
        for _ in range(LISTS):
            ids, offset = decode_list(data, offset)
            lists.append(ids)
        yield gram, lists
