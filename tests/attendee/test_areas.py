"""The whole country's areas: provinces down to villages, found by code and listed by parent."""

import pytest

from app import areas


def test_every_province_of_indonesia_is_there():
    names = [p.title for p in areas.provinces()]
    assert len(names) == 38
    assert {"Aceh", "DKI Jakarta", "Jawa Timur", "Papua Barat Daya"} <= set(names)


@pytest.mark.parametrize(
    ("lister", "code", "count"),
    [
        (areas.regencies_of, "35", 38),
        (areas.districts_of, "35.14", 24),
        (areas.villages_of, "35.14", 365),
        (areas.villages_of, "35", 8494),
        (areas.villages_of, "35.14.09", 19),
    ],
)
def test_areas_are_listed_under_their_parent(lister, code, count):
    children = lister(code)
    assert len(children) == count
    assert all(c.code.startswith(code + ".") for c in children)
    assert [c.code for c in children] == sorted(c.code for c in children)


def test_a_parent_code_does_not_catch_its_neighbours():
    # 35.1 must not list 35.14's districts nor 35.1's lookalikes.
    assert areas.districts_of("35.1") == []
    assert areas.villages_of("3") == []


def test_a_village_knows_its_district_regency_and_province():
    wonokerto = areas.find_village("35.14.09.2019")
    assert (wonokerto.name, wonokerto.district_name, wonokerto.regency_name) == (
        "Wonokerto",
        "Sukorejo",
        "KABUPATEN PASURUAN",
    )
    assert wonokerto.province_name == "JAWA TIMUR"
    assert wonokerto.cooperative_name == "Koperasi Desa Merah Putih Wonokerto"
    assert "Kecamatan Sukorejo, Kabupaten Pasuruan, Provinsi Jawa Timur" in wonokerto.address


def test_villages_outside_jawa_timur_are_found():
    aceh = areas.find_village("11.01.01.2001")
    assert aceh is not None and aceh.province_name == "ACEH"


def test_a_kelurahan_is_named_as_one():
    kelurahan = next(v for v in areas.villages_of("35.78") if v.is_kelurahan)
    assert kelurahan.cooperative_name.startswith("Koperasi Kelurahan Merah Putih ")


@pytest.mark.parametrize("code", ["35", "35.14", "35.14.09", "35.14.09.2019"])
def test_any_level_is_found_by_code(code):
    assert areas.find_area(code).code == code


@pytest.mark.parametrize("code", ["99", "35.99", "35.14.99", "35.14.09.9999", "x"])
def test_unknown_codes_are_none(code):
    assert areas.find_area(code) is None
