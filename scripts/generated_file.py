"""What the build scripts share: write a generated file, or check that the committed one is current."""

import argparse
from pathlib import Path


def write_or_check(target: Path, build, description: str) -> int:
    """`build()` gives the file's bytes; with --check, exit 1 when `target` differs from them."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args()
    data = build()
    if args.check:
        same = target.exists() and target.read_bytes() == data
        print("up to date" if same else f"{target.name} differs from a fresh build")
        return 0 if same else 1
    target.write_bytes(data)
    print(f"wrote {target.name} ({len(data)} bytes)")
    return 0
