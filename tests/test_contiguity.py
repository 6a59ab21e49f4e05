
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
