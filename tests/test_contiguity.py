
import pytest

from tests.grids import grid_area, grid_code as g


def test_queen_rule_counts_corners():
    """
    3x3 grid: the centre (1,1) touches all eight others; a corner touches three.
    """
    graph = grid_area(3, 3).graph
    assert len(graph.neighbours[g(1, 1)]) == 8
    assert graph.neighbours[g(0, 0)] == {g(0, 1), g(1, 0), g(1, 1)}


def test_shared_border_lengths_in_metres():
    graph = grid_area(2, 2).graph
    assert graph.shared_border_m[frozenset((g(0, 0), g(0, 1)))] == pytest.approx(1000, abs=0.01)
    assert graph.shared_border_m[frozenset((g(0, 0), g(1, 1)))] == pytest.approx(0, abs=0.01)


def test_pieces_of_a_split_set():
    """
    Row 0 of a 1x5 grid:  X X . X .   -> pieces {0,1} and {3}
    """
    graph = grid_area(1, 5).graph
    assert graph.pieces([g(0, 0), g(0, 1), g(0, 3)]) == [[g(0, 0), g(0, 1)], [g(0, 3)]]
    assert graph.pieces([]) == []


def test_diagonal_cells_are_one_piece_under_the_queen_rule():
    """
    X .
    . X   -> one piece (they share a corner)
    """
    assert len(grid_area(2, 2).graph.pieces([g(0, 0), g(1, 1)])) == 1


def test_perimeter_of_unions():
    graph = grid_area(2, 3).graph
    assert graph.perimeter_of([g(0, 0)]) == pytest.approx(4000, abs=0.1)
    # 2x2 block: 8 km of outline
    assert graph.perimeter_of([g(0, 0), g(0, 1), g(1, 0), g(1, 1)]) == pytest.approx(8000, abs=0.1)
    # L shape of three cells: 8 km as well
    assert graph.perimeter_of([g(0, 0), g(0, 1), g(1, 0)]) == pytest.approx(8000, abs=0.1)
    # two diagonal cells keep both outlines
    assert graph.perimeter_of([g(0, 0), g(1, 1)]) == pytest.approx(8000, abs=0.1)


def test_contiguity_refuses_degrees():
    from geo.zoning.contiguity import ContiguityGraph
    from tests.grids import grid_comuni

    with pytest.raises(ValueError):
        ContiguityGraph.from_geodataframe(grid_comuni(1, 2))


def test_pieces_and_perimeters_of_every_group_at_once():
    """
    2x3 grid (row 1 on top), the group of each cell::

        1 0 2
        0 1 0

    group 0 = (0,0), (0,2), (1,1): (0,0)-(1,1) touch at a corner, (1,1)-(0,2) too: 1 piece,
              no shared border inside: perimeter 3 x 4 km = 12 km;
    group 1 = (0,1), (1,0): corner only: 1 piece, 8 km;
    group 2 = (1,2): 1 piece, 4 km;  group 3: empty, 0 pieces, 0 km.
    """
    import numpy as np

    area = grid_area(2, 3)
    group_of = {g(0, 0): 0, g(0, 2): 0, g(1, 1): 0, g(0, 1): 1, g(1, 0): 1, g(1, 2): 2}
    groups = np.array([group_of[u] for u in area.graph.order])
    assert area.graph.pieces_per_group(groups, 4).tolist() == [1, 1, 1, 0]
    assert area.graph.perimeter_per_group(groups, 4) == pytest.approx([12000, 8000, 4000, 0], abs=0.1)
    # rows 0 and 1 apart (no corner between (0,0) and (0,2)): group 0 now 2 pieces
    apart = {g(0, 0): 0, g(0, 2): 0, g(0, 1): 1, g(1, 0): 1, g(1, 1): 1, g(1, 2): 1}
    groups = np.array([apart[u] for u in area.graph.order])
    assert area.graph.pieces_per_group(groups, 2).tolist() == [2, 1]
    # group 1: an L of 4 cells sharing 3 km of borders: 16 - 2 x 3 = 10 km
    assert area.graph.perimeter_per_group(groups, 2) == pytest.approx([8000, 10000], abs=0.1)
