"""The plain-text table the benchmark scripts print (first column left-aligned)."""


def _format_row(cells, widths):
    return "  ".join(
        f"{cell:<{width}}" if i == 0 else f"{cell:>{width}}"
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def print_table(title, header, rows):
    """Print ``title``, then ``header`` and ``rows`` in columns as wide as their cells."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    line = _format_row(header, widths)
    print(line)
    print("-" * len(line))
    for row in rows:
        print(_format_row(row, widths))
