"""Print programme blocks with Rich (terminal) or as Markdown."""

from __future__ import annotations

from typing import TextIO

from ..app.programme import Block
from .common import md_escape


def print_blocks(blocks: list[Block], console: object) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    assert isinstance(console, Console)

    def tree(block: Block, into: Tree | None = None) -> Tree:
        node = Tree(Text(block.title, style="bold")) if into is None else into.add(Text(block.title, style="bold"))
        for child in block.children:
            tree(child, node)
        for row in block.rows:
            node.add(Text(str(row)))
        return node

    first = True
    for block in blocks:
        if block.kind == "heading":
            if not first:
                console.print()
            console.print(Text(block.title, style="bold underline"))
        elif block.kind == "fields":
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, max_width=24)
            grid.add_column(ratio=1)
            for label, value in block.rows:
                grid.add_row(Text(label), Text(str(value)))
            console.print(grid)
        elif block.kind == "list":
            if block.title:
                console.print(Text(block.title, style="bold"))
            numbered = "numbered" in block.headers
            for i, row in enumerate(block.rows, 1):
                bullet = f"{i}. " if numbered else "• "
                console.print(Text(bullet + str(row)), soft_wrap=False)
        elif block.kind == "table":
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)
            for i, header in enumerate(block.headers):
                if i in (1, 2):  # coefficient and share: short, never wrapped
                    table.add_column(header, justify="right", no_wrap=True)
                else:  # the épreuve gets the most room; long words fold, never vanish
                    table.add_column(header, ratio=3 if i == 0 else 2, min_width=12, overflow="fold")
            for row in block.rows:
                table.add_row(*(Text(str(cell)) for cell in row))
            console.print(table)
        elif block.kind == "tree":
            console.print(tree(block))
        elif block.kind == "note":
            console.print(Text(block.title, style="italic"))
        elif block.kind == "text":
            for line in block.rows:
                console.print(Text(str(line)))
        first = False


def write_markdown_blocks(blocks: list[Block], out: TextIO) -> None:
    def tree(block: Block, depth: int) -> None:
        indent = "  " * depth
        out.write(f"{indent}- **{md_escape(block.title)}**\n")
        for child in block.children:
            tree(child, depth + 1)
        for row in block.rows:
            out.write(f"{indent}  - {md_escape(row)}\n")

    level = 1
    for block in blocks:
        if block.kind == "heading":
            out.write(f"{'#' * level} {md_escape(block.title)}\n\n")
            level = 2
        elif block.kind == "fields":
            for label, value in block.rows:
                out.write(f"- **{md_escape(label)}**: {md_escape(value)}\n")
            out.write("\n")
        elif block.kind == "list":
            if block.title:
                out.write(f"**{md_escape(block.title)}**\n\n")
            numbered = "numbered" in block.headers
            for i, row in enumerate(block.rows, 1):
                out.write(f"{f'{i}.' if numbered else '-'} {md_escape(row)}\n")
            out.write("\n")
        elif block.kind == "table":
            out.write("| " + " | ".join(md_escape(h) for h in block.headers) + " |\n")
            out.write("|" + "|".join("---:" if i in (1, 2) else "---" for i in range(len(block.headers))) + "|\n")
            for row in block.rows:
                out.write("| " + " | ".join(md_escape(cell) for cell in row) + " |\n")
            out.write("\n")
        elif block.kind == "tree":
            tree(block, 0)
            out.write("\n")
        elif block.kind == "note":
            out.write(f"*{md_escape(block.title)}*\n\n")
        elif block.kind == "text":
            for line in block.rows:
                out.write(f"{md_escape(line)}  \n")
            out.write("\n")
