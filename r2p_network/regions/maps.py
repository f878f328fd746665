"""Regional maps drawn on the server as SVG from the Natural Earth 1:50m country shapes.

Shapes come from the vendored TopoJSON (``data/countries-50m.json``); ids are M49 codes.
The outline of a region is computed once per process and cached; colours are classes that the
page sets from its data, so no script is needed. Countries too small to see at the region's
scale (and Tuvalu, which the file lacks) get a marker at their representative point.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

SHAPES = Path(__file__).resolve().parent / "data" / "countries-50m.json"
WIDTH = 800
MIN_VISIBLE = 6.0  # a country narrower and shorter than this many pixels gets a marker
SIMPLIFY = 1.5  # pixels
NEAR = 40  # degrees: a member's polygons farther than this from its centre do not stretch the frame


@dataclass(frozen=True)
class Shape:
    m49: str
    path: str
    marker: tuple[float, float] | None  # (x, y) for small countries


@dataclass(frozen=True)
class MapFrame:
    width: int
    height: int
    members: tuple[Shape, ...]
    context: tuple[str, ...]  # neighbours' outlines, drawn in grey


@cache
def _world() -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Every country's polygons (lists of rings of (lon, lat)), by M49 code."""
    with SHAPES.open(encoding="utf-8") as handle:
        topology = json.load(handle)
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(part[1:] if points else part)
        return points

    world: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        world[geometry["id"]] = [[ring(r) for r in polygon] for polygon in polygons]
    return world


def _shifted(lon: float, east: bool) -> float:
    return lon + 360 if east and lon < -30 else lon


def _project(points: list[tuple[float, float]], frame: tuple[float, float, float, float], east: bool):
    min_lon, max_lat, scale, lat_factor = frame
    return [
        ((_shifted(lon, east) - min_lon) * scale * lat_factor, (max_lat - lat) * scale) for lon, lat in points
    ]


def _path(polygons: list[list[list[tuple[float, float]]]], frame, east: bool) -> tuple[str, float, float]:
    """SVG path data, and the projected width and height of the shape.

    Whole pixels, each point written relative to the previous one ("l3 -2"): a map of Africa
    is a third of the bytes it would be in absolute tenths of a pixel, with no visible change.
    """
    commands: list[str] = []
    xs: list[int] = []
    ys: list[int] = []
    for polygon in polygons:
        for ring in polygon:
            kept: list[tuple[int, int]] = []
            for x, y in _project(ring, frame, east):
                point = (round(x), round(y))
                # Points closer than a pixel or two to the last one add bytes, not detail.
                if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= SIMPLIFY:
                    kept.append(point)
            if len(kept) > 2:
                steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(kept))
                commands.append(f"M{kept[0][0]} {kept[0][1]}l{steps}z")
                xs.extend(p[0] for p in kept)
                ys.extend(p[1] for p in kept)
    if not xs:
        return "", 0.0, 0.0
    return "".join(commands), float(max(xs) - min(xs)), float(max(ys) - min(ys))


@cache
def frame_for(points: tuple[tuple[str, float, float], ...]) -> MapFrame:
    """The map of the countries given as (m49, lat, lon) representative points, with neighbours."""
    if not points:
        return MapFrame(WIDTH, 200, (), ())
    world = _world()
    lons = [lon for _code, _lat, lon in points]
    east = bool(lons) and max(lons) - min(lons) > 180  # the region straddles the 180th meridian
    bounds = []
    for code, lat, lon in points:
        centre = _shifted(lon, east)
        for polygon in world.get(code, []):
            outline = [(_shifted(x, east), y) for x, y in polygon[0]]
            if abs(outline[0][0] - centre) <= NEAR:  # e.g. not French Guiana on a map of Europe
                bounds.extend(outline)
        bounds.append((centre, lat))
    min_lon = min(b[0] for b in bounds) - 2
    max_lon = max(b[0] for b in bounds) + 2
    min_lat = max(min(b[1] for b in bounds) - 2, -85)
    max_lat = min(max(b[1] for b in bounds) + 2, 85)
    lat_factor = max(math.cos(math.radians((min_lat + max_lat) / 2)), 0.35)
    scale = WIDTH / ((max_lon - min_lon) * lat_factor)
    height = max(200, min(900, round((max_lat - min_lat) * scale)))
    frame = (min_lon, max_lat, scale, lat_factor)

    members = []
    codes = {code for code, _lat, _lon in points}
    for code, lat, lon in points:
        path, width, tall = _path(world.get(code, []), frame, east)
        marker = None
        if width < MIN_VISIBLE and tall < MIN_VISIBLE:
            (x, y), *_rest = _project([(lon, lat)], frame, east)
            marker = (round(x, 1), round(y, 1))
        members.append(Shape(code, path, marker))

    context = []
    for code, polygons in world.items():
        if code in codes:
            continue
        inside = any(
            min_lon <= _shifted(lon, east) <= max_lon and min_lat <= lat <= max_lat
            for polygon in polygons
            for lon, lat in polygon[0][:: max(1, len(polygon[0]) // 20)]
        )
        if inside:
            path, _w, _h = _path(polygons, frame, east)
            if path:
                context.append(path)
    return MapFrame(WIDTH, height, tuple(members), tuple(context))
