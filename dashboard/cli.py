"""The command line: `python -m dashboard check | import | versions | restore | geo-import | add-user`.

These are the secretariat's tools for looking after the data folder without a developer: check that the files are
valid, import a new extract safely, list the kept versions and bring one back, and import map geometry. Every user
error ends with a Danish message and exit code 1, never a traceback. Settings come from the environment
(DATA_DIR, GEO_DIR) through :class:`dashboard.settings.Settings`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from dashboard.data import importer, store
from dashboard.data.problems import DataValidationError, format_problems
from dashboard.settings import Settings

RESTORE_HINT = (
    "Sådan gendannes den seneste gode version:\n"
    "  python -m dashboard versions          (vis de gemte versioner)\n"
    "  python -m dashboard restore <id>      (gendan en af dem)\n"
    "En gemt version er data, som de var FØR den import, der står ved den: gendanner du den nyeste, så kør den\n"
    "import igen bagefter (filen står i listen). Den beskadigede udgave gemmes også, så intet går tabt."
)


def check(settings: Settings) -> int:
    """Validate the data folder and the map geometry, and print a summary of what is there."""
    try:
        dataset = store.load_dataset(settings.data_dir)
    except DataValidationError as error:
        print(f"Data i {settings.data_dir} er IKKE gyldige.\n{format_problems(error.problems)}\n\n{RESTORE_HINT}")
        return 1
    geo_problem = _geometry_problem(settings.geo_dir, dataset)
    print(_summary(dataset, settings.data_dir))
    if geo_problem:
        print(f"\nKortet er IKKE i orden: {geo_problem}")
        return 1
    print("\nAlt er i orden.")
    return 0


def _geometry_problem(geo_dir: Path, dataset: store.Dataset) -> str | None:
    """Why the map cannot show every helhedsplan area, or None."""
    # The web layer's loader, imported here so that the other commands do not load it.
    from dashboard.geo.layers import load_areas

    try:
        collection = load_areas(geo_dir)
    except (OSError, ValueError) as error:
        return f"geometrien kan ikke læses ({error})"
    with_geometry = {feature["properties"]["area_id"] for feature in collection["features"]}
    plan_areas = dataset.areas.loc[dataset.areas["kind"] == "helhedsplan", "id"]
    missing = [dataset.area_name(area_id) for area_id in plan_areas if area_id not in with_geometry]
    if missing:
        return f"disse helhedsplanområder mangler geometri i {geo_dir / 'areas.geojson'}: {', '.join(missing)}"
    return None


def _summary(dataset: store.Dataset, data_dir: Path) -> str:
    observations = dataset.observations
    with_data = len(dataset.indicators_with_data())
    without_data = len(dataset.indicators) - with_data
    years = f"{observations['year'].min()}–{observations['year'].max()}" if len(observations) else "ingen"
    quarterly = observations.loc[observations["quarter"] > 0, "indicator_id"].nunique()
    if quarterly:
        years += f" (kvartalstal for {quarterly} indikator{'er' if quarterly > 1 else ''})"
    kinds = dataset.areas["kind"].value_counts()
    area_counts = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    versions = store.list_versions(data_dir)
    latest = f" (seneste: {versions[0]['version']})" if versions else ""
    return "\n".join(
        [
            f"Data i {data_dir} er gyldige.",
            f"  Områder:      {len(dataset.areas)} ({area_counts})",
            f"  Indikatorer:  {len(dataset.indicators)} ({with_data} med data, {without_data} uden data endnu)",
            f"  Observationer: {len(observations)}",
            f"  Kilder:       {len(dataset.sources)}",
            f"  År:           {years}",
            f"  Dataversion:  {dataset.version}",
            f"  Gemte versioner: {len(versions)}{latest}",
        ]
    )


def versions(settings: Settings) -> int:
    """List the kept versions, newest first."""
    kept = store.list_versions(settings.data_dir)
    if not kept:
        print("Ingen gemte versioner endnu: en version gemmes ved hver import og gendannelse.")
        return 0
    print(f"{len(kept)} gemte versioner (nyeste først):" if len(kept) > 1 else "1 gemt version:")
    for manifest in kept:
        print(f"  {manifest['version']}  {_local_time(manifest.get('created', ''))}  {manifest.get('command', '')}")
        print(f"      {manifest.get('summary', '')}")
    print("Gendan med: python -m dashboard restore <id>")
    return 0


def _local_time(created: str) -> str:
    try:
        return datetime.fromisoformat(created).astimezone().strftime("%d-%m-%Y %H:%M:%S")
    except ValueError:
        return created


def restore(settings: Settings, version_id: str) -> int:
    """Bring back a kept version; the files it replaces are kept as a version too."""
    try:
        with store.data_lock(settings.data_dir):
            kept_id = store.restore_version(settings.data_dir, version_id)
    except KeyError:
        print(f"Ukendt version: {version_id!r}. Se de gemte versioner med: python -m dashboard versions")
        return 1
    except DataValidationError as error:
        print(f"Version {version_id} er ikke gyldig og er ikke gendannet.\n{format_problems(error.problems)}")
        return 1
    print(f"Version {version_id} er gendannet.")
    print(
        f"De filer, den erstattede, er gemt som version {kept_id} (fortryd med: python -m dashboard restore {kept_id})."
    )
    return 0


def geo_import(settings: Settings, args: argparse.Namespace) -> int:
    """Import map geometry; the area catalogue comes from the (valid) data folder."""
    try:
        dataset = store.load_dataset(settings.data_dir)
    except DataValidationError as error:
        print(f"Data i {settings.data_dir} er ikke gyldige; ret dem først.\n{format_problems(error.problems)}")
        return 1
    # geopandas is slow to import and only this command needs it.
    from dashboard.geo.importer import run_geo_import

    # Leave the tolerance to the importer's own default unless the user gave one.
    tolerance = {"tolerance_m": args.tolerance} if args.tolerance is not None else {}
    return run_geo_import(
        Path(args.file),
        args.id_field,
        layer=args.layer,
        geo_dir=settings.geo_dir,
        dry_run=args.dry_run,
        known_area_ids={area_id: dataset.area_name(area_id) for area_id in dataset.areas["id"]},
        name_field=args.name_field,
        source=args.source,
        out=print,
        **tolerance,
    )


def add_user(settings: Settings, name: str) -> int:
    """Add a login user (or change their password) in AUTH_USERS_FILE; the password is read, never an argument."""
    # Imported here: the other commands do not need the web layer's login module.
    from dashboard import auth

    if sys.stdin.isatty():
        password = getpass.getpass(f"Adgangskode for {name}: ")
        if getpass.getpass("Gentag adgangskoden: ") != password:
            print("Adgangskoderne er ikke ens; intet er ændret.")
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        is_new = auth.add_user(settings.auth_users_file, name, password)
    except ValueError as error:
        print(f"Brugeren er ikke gemt: {error}.")
        return 1
    except OSError as error:
        print(f"Kan ikke skrive {settings.auth_users_file}: {error}")
        return 1
    action = "tilføjet" if is_new else "har fået ny adgangskode"
    print(f"Brugeren {name} er {action} i {settings.auth_users_file}.")
    if settings.auth_mode != "password":
        print("Bemærk: login er ikke slået til; sæt AUTH_MODE=password og SECRET_KEY (se README).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="BoSoc Dashboard: kontrollér, importér og gendan data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    commands.add_parser("check", help="kontrollér data og kortgeometri, og vis et overblik")

    import_parser = commands.add_parser("import", help="tilføj eller opdatér observationer fra en CSV- eller XLSX-fil")
    import_parser.add_argument("file", metavar="FIL")
    import_parser.add_argument("--dry-run", action="store_true", help="vis hvad der ville ske, men skriv intet")
    import_parser.add_argument("--source", metavar="KILDE", help="kilde (id eller titel) for rækker uden kilde")

    commands.add_parser("versions", help="vis de gemte versioner af data")
    restore_parser = commands.add_parser("restore", help="gendan en gemt version af data")
    restore_parser.add_argument("version", metavar="VERSION")

    geo_parser = commands.add_parser("geo-import", help="importér kortgeometri (Shapefile, GeoPackage, GeoJSON)")
    geo_parser.add_argument("file", metavar="FIL")
    geo_parser.add_argument("--id-field", required=True, metavar="FELT", help="feltet med områdets id")
    geo_parser.add_argument("--layer", choices=("areas", "context"), default="areas")
    geo_parser.add_argument("--name-field", metavar="FELT", help="feltet med navnet (kontekstlaget)")
    geo_parser.add_argument("--tolerance", type=float, metavar="METER", help="forenkling af omrids i meter")
    geo_parser.add_argument("--source", metavar="TEKST", help="kildetekst til geometrien")
    geo_parser.add_argument("--dry-run", action="store_true", help="vis hvad der ville ske, men skriv intet")

    user_parser = commands.add_parser("add-user", help="tilføj en bruger til login (eller skift adgangskode)")
    user_parser.add_argument("name", metavar="NAVN")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 success, 1 a problem, 2 a wrong command line)."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(f"Fejl i indstillingerne: {error}")
        return 1
    if args.command == "check":
        return check(settings)
    if args.command == "import":
        return importer.run_import(Path(args.file), settings.data_dir, source=args.source, dry_run=args.dry_run)
    if args.command == "versions":
        return versions(settings)
    if args.command == "restore":
        return restore(settings, args.version)
    if args.command == "add-user":
        return add_user(settings, args.name)
    return geo_import(settings, args)
