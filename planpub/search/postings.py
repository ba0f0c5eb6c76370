"""Binary encoding of the index's posting lists and shard files (the format is described in `planpub.search`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

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


def encode_list(ids: Sequence[int], count: int) -> bytes:
    """Ascending plan numbers below `count`, as gaps or as a bitmap, whichever is smaller, after a header
    `length << 1 | kind` giving the byte length of the body."""
    bitmap_size = (count + 7) // 8
    body = b""
    # Every gap takes at least a byte, so a list of bitmap_size numbers or more is never smaller as gaps.
    if len(ids) < bitmap_size:
        gaps = bytearray()
        previous = -1
        for plan in ids:
            gap = plan - previous
            previous = plan
            if gap < 0x80:
                gaps.append(gap)
            else:
                write_varint(gaps, gap)
        if len(gaps) <= bitmap_size:
            body, kind = bytes(gaps), KIND_DELTAS
    if not body and ids:
        bitmap = bytearray(bitmap_size)
        for plan in ids:
            bitmap[plan >> 3] |= 1 << (plan & 7)
        body, kind = bytes(bitmap), KIND_BITMAP
    elif not body:
        kind = KIND_DELTAS
    header = bytearray()
    write_varint(header, len(body) << 1 | kind)
    return bytes(header) + body


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


LISTS = 3
"""Lists per gram: the plans containing it anywhere, in the title or metadata, in the title."""


def encode_entry(gram: str, lists: Sequence[Sequence[int]], count: int) -> bytes:
    raw = gram.encode("utf-8")
    out = bytearray()
    write_varint(out, len(raw))
    return bytes(out) + raw + b"".join(encode_list(ids, count) for ids in lists)


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
