"""A synthetic national registry: Dutch-like companies and their establishments.

Used by ``generate_suppliers`` (demo data, benchmarks). Deterministic for a given seed. Names
mix sectors, surnames with prefixes ("Van der Berg"), legal forms (B.V., V.O.F., Stichting …),
accents (Café, Coöperatie, Çelik) and about 150 places; most companies have one establishment,
some have a few, a handful have hundreds across the country.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import unicodedata
from collections.abc import Iterator

from suppliers.importer import COLUMNS

# place, first and last four-digit postcode, relative size
PLACES: list[tuple[str, int, int, int]] = [
    ("Amsterdam", 1011, 1109, 60), ("Rotterdam", 3011, 3089, 45), ("Den Haag", 2491, 2597, 38),
    ("Utrecht", 3511, 3585, 25), ("Eindhoven", 5611, 5658, 17), ("Groningen", 9711, 9747, 16),
    ("Tilburg", 5011, 5049, 15), ("Almere", 1311, 1365, 15), ("Breda", 4811, 4839, 14),
    ("Nijmegen", 6511, 6546, 13), ("Arnhem", 6811, 6846, 12), ("Haarlem", 2011, 2036, 12),
    ("Enschede", 7511, 7548, 12), ("Amersfoort", 3811, 3829, 11), ("Apeldoorn", 7311, 7339, 11),
    ("Zaandam", 1501, 1509, 10), ("'s-Hertogenbosch", 5211, 5249, 10), ("Zwolle", 8011, 8045, 10),
    ("Leiden", 2311, 2334, 9), ("Maastricht", 6211, 6229, 9), ("Dordrecht", 3311, 3329, 9),
    ("Ede", 6711, 6718, 8), ("Leeuwarden", 8911, 8939, 9), ("Alkmaar", 1811, 1827, 8),
    ("Emmen", 7811, 7828, 7), ("Delft", 2611, 2629, 7), ("Venlo", 5911, 5928, 7),
    ("Deventer", 7411, 7429, 7), ("Helmond", 5701, 5709, 6), ("Hilversum", 1211, 1223, 6),
    ("Oss", 5341, 5349, 6), ("Amstelveen", 1181, 1189, 6), ("Roosendaal", 4701, 4709, 5),
    ("Purmerend", 1441, 1448, 5), ("Schiedam", 3111, 3125, 5), ("Spijkenisse", 3201, 3209, 5),
    ("Lelystad", 8211, 8245, 5), ("Almelo", 7601, 7609, 5), ("Gouda", 2801, 2809, 5),
    ("Zoetermeer", 2711, 2729, 8), ("Hoorn", 1621, 1628, 5), ("Vlaardingen", 3131, 3138, 5),
    ("Assen", 9401, 9409, 4), ("Veenendaal", 3901, 3906, 4), ("Capelle aan den IJssel", 2901, 2909, 4),
    ("Nieuwegein", 3430, 3439, 4), ("Zeist", 3701, 3709, 4), ("Katwijk", 2221, 2225, 4),
    ("Den Helder", 1781, 1789, 4), ("Doetinchem", 7001, 7009, 4), ("Hengelo", 7550, 7559, 5),
    ("Harderwijk", 3841, 3849, 3), ("Oosterhout", 4901, 4909, 3), ("Bergen op Zoom", 4611, 4625, 4),
    ("Heerlen", 6411, 6422, 5), ("Sittard", 6131, 6137, 3), ("Roermond", 6041, 6045, 3),
    ("Kerkrade", 6461, 6466, 3), ("Weert", 6001, 6006, 3), ("Tiel", 4001, 4007, 3),
    ("Culemborg", 4101, 4105, 2), ("Wageningen", 6701, 6709, 2), ("Renkum", 6871, 6871, 1),
    ("Oosterbeek", 6861, 6865, 2), ("Velp", 6881, 6883, 2), ("Dieren", 6951, 6953, 1),
    ("Zutphen", 7201, 7209, 3), ("Winterswijk", 7101, 7103, 2), ("Barneveld", 3771, 3774, 3),
    ("Nijkerk", 3861, 3864, 3), ("Elst", 6661, 6663, 2), ("Zevenaar", 6901, 6904, 2),
    ("Duiven", 6921, 6922, 2), ("Westervoort", 6931, 6932, 1), ("Wijchen", 6601, 6605, 3),
    ("Druten", 6651, 6652, 1), ("Beuningen", 6641, 6642, 2), ("Huissen", 6851, 6852, 1),
    ("Bemmel", 6681, 6682, 1), ("Rheden", 6991, 6991, 1), ("Doesburg", 6981, 6984, 1),
    ("Groesbeek", 6561, 6562, 1), ("Cuijk", 5431, 5434, 2), ("Boxmeer", 5831, 5831, 1),
    ("Uden", 5401, 5406, 3), ("Veghel", 5461, 5466, 3), ("Boxtel", 5281, 5283, 2),
    ("Waalwijk", 5141, 5146, 3), ("Kaatsheuvel", 5171, 5172, 2), ("Dongen", 5101, 5107, 2),
    ("Etten-Leur", 4871, 4875, 3), ("Goes", 4461, 4465, 3), ("Middelburg", 4331, 4338, 3),
    ("Vlissingen", 4381, 4389, 3), ("Terneuzen", 4531, 4538, 3), ("Zierikzee", 4301, 4303, 1),
    ("Hulst", 4561, 4561, 1), ("Gorinchem", 4201, 4208, 3), ("Leerdam", 4141, 4145, 1),
    ("Zaltbommel", 5301, 5302, 2), ("Houten", 3991, 3998, 3), ("IJsselstein", 3401, 3404, 2),
    ("Woerden", 3441, 3449, 3), ("Bodegraven", 2411, 2411, 1), ("Alphen aan den Rijn", 2401, 2408, 4),
    ("Leiderdorp", 2351, 2353, 2), ("Noordwijk", 2201, 2204, 2), ("Lisse", 2161, 2161, 1),
    ("Hillegom", 2181, 2181, 1), ("Heemstede", 2101, 2106, 2), ("Hoofddorp", 2131, 2136, 5),
    ("Beverwijk", 1941, 1948, 3), ("Heerhugowaard", 1701, 1707, 3), ("Enkhuizen", 1601, 1601, 1),
    ("Medemblik", 1671, 1671, 1), ("Schagen", 1741, 1741, 1), ("Volendam", 1131, 1131, 1),
    ("Edam", 1135, 1135, 1), ("Weesp", 1381, 1384, 1), ("Bussum", 1401, 1406, 2),
    ("Huizen", 1271, 1277, 2), ("Naarden", 1411, 1411, 1), ("Baarn", 3741, 3744, 2),
    ("Soest", 3761, 3768, 3), ("Bunschoten", 3751, 3751, 1), ("Leusden", 3831, 3833, 2),
    ("Woudenberg", 3931, 3931, 1), ("Rhenen", 3911, 3911, 1), ("Meppel", 7941, 7944, 2),
    ("Hoogeveen", 7901, 7909, 3), ("Coevorden", 7741, 7741, 1), ("Stadskanaal", 9501, 9502, 2),
    ("Veendam", 9641, 9641, 1), ("Winschoten", 9671, 9671, 1), ("Delfzijl", 9934, 9934, 1),
    ("Appingedam", 9901, 9901, 1), ("Hoogezand", 9601, 9601, 2), ("Drachten", 9201, 9206, 3),
    ("Heerenveen", 8441, 8448, 3), ("Sneek", 8601, 8605, 2), ("Harlingen", 8861, 8862, 1),
    ("Franeker", 8801, 8801, 1), ("Dokkum", 9101, 9104, 1), ("Joure", 8501, 8501, 1),
    ("Steenwijk", 8331, 8334, 1), ("Kampen", 8261, 8266, 3), ("Hardenberg", 7771, 7773, 2),
    ("Ommen", 7731, 7731, 1), ("Raalte", 8101, 8103, 2), ("Rijssen", 7461, 7463, 2),
    ("Nijverdal", 7441, 7443, 2), ("Oldenzaal", 7571, 7577, 2), ("Haaksbergen", 7481, 7483, 2),
    ("Borne", 7621, 7623, 1), ("Epe", 8161, 8162, 2), ("Heerde", 8181, 8181, 1),
    ("Hattem", 8051, 8051, 1), ("Elburg", 8081, 8081, 1), ("Ermelo", 3851, 3853, 2),
    ("Putten", 3881, 3882, 2), ("Lochem", 7241, 7245, 1), ("Groenlo", 7141, 7141, 1),
    ("Emmeloord", 8301, 8305, 2), ("Urk", 8321, 8321, 1), ("Dronten", 8251, 8253, 2),
    ("Zeewolde", 3891, 3897, 1), ("Venray", 5801, 5804, 2), ("Tegelen", 5931, 5932, 1),
    ("Valkenburg", 6301, 6301, 1), ("Geleen", 6161, 6167, 2), ("Brunssum", 6441, 6446, 2),
    ("Veldhoven", 5501, 5509, 3), ("Best", 5681, 5684, 2), ("Geldrop", 5661, 5667, 2),
    ("Nuenen", 5671, 5671, 1), ("Deurne", 5751, 5754, 2), ("Valkenswaard", 5551, 5556, 2),
    ("Oisterwijk", 5061, 5062, 2), ("Goirle", 5051, 5052, 1), ("Vught", 5261, 5264, 2),
    ("Rosmalen", 5241, 5249, 2), ("Drunen", 5151, 5152, 1), ("Zundert", 4881, 4881, 1),
]

AREA_CODES = {"1": "020", "2": "071", "3": "030", "4": "076", "5": "040", "6": "026", "7": "053", "8": "038", "9": "050"}

SURNAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
    "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins",
    "Blom", "Huisman", "Peeters", "de Leeuw", "Kuipers", "van Wijk", "Post", "Kuiper", "Veenstra",
    "Kramer", "van den Brink", "Scholten", "van Wijngaarden", "Martens", "Vink", "van der Berg",
    "ter Horst", "van 't Hof", "in 't Veld", "van der Laan", "Groen", "van Rijn", "Timmermans",
    "Evers", "Hermans", "Wouters", "Vermeer", "Boersma", "Hofman", "Postma", "Koning", "Sanders",
    "van Doorn", "Gerritsen", "Bosman", "van Vugt", "Lammers", "van Veen", "Zwart", "de Ridder",
    "Steenbergen", "Gerrits", "Verbeek", "Bouwman", "Brinkman", "Rutten", "van Loon", "Kok",
    "Çelik", "Yılmaz", "Öztürk", "Şahin", "Demir", "El Amrani", "Bouzid", "Ramdin", "Pérez",
    "Nguyễn", "Müller", "Schröder", "Bäcker", "Hoëtmer", "Geërts", "Noë", "Zoë", "Thijssen",
    "IJzerman", "van IJsseldijk", "Oosterhuis", "Wijnands", "ten Cate", "op den Kamp", "van Aken",
    "Dijkhuizen", "Molenaar", "Veldkamp", "Haverkamp", "Bulthuis", "Stegeman", "Nijhuis", "Roelofs",
]

FIRST_INITIALS = "ABCDEFGHIJKLMNPRSTW"

SECTORS = [
    "Bouwbedrijf", "Aannemersbedrijf", "Installatiebedrijf", "Installatietechniek", "Schildersbedrijf",
    "Loodgietersbedrijf", "Elektrotechniek", "Hoveniersbedrijf", "Groenvoorziening", "Transport",
    "Logistiek", "Schoonmaakbedrijf", "Schoonmaakdiensten", "Bakkerij", "Slagerij", "Café",
    "Restaurant", "Eetcafé", "Brasserie", "Catering", "Adviesbureau", "Ingenieursbureau",
    "Architectenbureau", "Accountants", "Administratiekantoor", "Advocaten", "Notariskantoor",
    "ICT", "Software", "Automatisering", "Drukkerij", "Reclamebureau", "Uitzendbureau",
    "Detachering", "Beveiliging", "Autobedrijf", "Garage", "Fietsenmaker", "Dakdekkersbedrijf",
    "Timmerbedrijf", "Metaalbewerking", "Constructiebedrijf", "Wegenbouw", "Grondverzet",
    "Sloopbedrijf", "Verhuizingen", "Taxi", "Kinderopvang", "Thuiszorg", "Fysiotherapie",
    "Tandartspraktijk", "Bloemisterij", "Kwekerij", "Tuincentrum", "Meubelmakerij", "Keukenstudio",
    "Glashandel", "Stukadoorsbedrijf", "Tegelzetbedrijf", "Vloerenbedrijf", "Zonwering",
    "Rioleringstechniek", "Sanitair", "Verwarmingstechniek", "Koeltechniek", "Crèche", "Pâtisserie",
    "Crêperie", "Kapsalon", "Opleidingen", "Re-integratie", "Zorgcoöperatie", "Groothandel",
]

FANTASY = [
    "Noordster", "Zuidwest", "Horizon", "Vitaal", "Groenkracht", "Duurzaam", "Vakwerk", "Solide",
    "Helder", "Proper", "De Eendracht", "De Hoop", "Het Anker", "De Zwaan", "De Linde", "De Eik",
    "Rijnland", "Veluwe", "Betuwe", "Twente", "Achterhoek", "Maasland", "Kempen", "Zeeland",
    "Polder", "Delta", "Randstad", "Zonnewende", "Waterweg", "Dijkzicht", "Koploper", "Sterk",
    "Samen", "Werkkracht", "Buitenkans", "Fris", "Glansrijk", "Oranjeboom", "Vlinder", "Klimop",
    "Rëgio", "Élan", "Crème de la Crème", "Façade", "Naïef", "Idée",
]

CAFE_NAMES = ["'t Hoekje", "'t Pleintje", "De Zwaan", "De Gouden Leeuw", "Het Wapen", "De Kroon", "Chez Hélène", "Bretonne", "Le Café", "De Sluis"]

STREETS = [
    "Kerkstraat", "Dorpsstraat", "Hoofdstraat", "Stationsweg", "Molenweg", "Industrieweg",
    "Nijverheidsweg", "Schoolstraat", "Julianastraat", "Wilhelminastraat", "Beatrixstraat",
    "Marktplein", "Havenweg", "Kanaalweg", "Parallelweg", "Spoorlaan", "Energieweg",
    "Ambachtsweg", "Handelsweg", "Edisonstraat", "Kastanjelaan", "Eikenlaan", "Beukenlaan",
    "Lindenlaan", "Prins Bernhardlaan", "Oranjelaan", "Europaweg", "Hazeldonk", "Veerweg",
    "Dijkstraat", "Zuiderkade", "Noorderhaven", "Oostsingel", "Westblaak", "Nieuwstraat",
    "Zandweg", "Rijksstraatweg", "Amsterdamseweg", "Utrechtseweg", "Arnhemseweg",
    "Plantage Kerklaan", "Coöperatieweg", "Scheldestraat", "Maasboulevard", "Rijnkade",
    "Vlietweg", "De Schans", "Bedrijvenpark Noord", "Transportweg", "Meander",
]

LEGAL_FORMS = [(" B.V.", 60), ("", 18), (" V.O.F.", 8), (" N.V.", 1), (" C.V.", 1), ("stichting", 5), ("coop", 2), (" en Zonen B.V.", 2), ("maatschap", 3)]


CONTACT_SHARE = 0.35


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "", text)[:40] or "bedrijf"


def _capitalised(surname: str) -> str:
    """In a company name the prefix of a surname is written with a capital: 'Van der Berg'."""
    return surname[0].upper() + surname[1:]


class Registry:
    """Iterator of CSV rows (in ``COLUMNS`` order) for ``count`` establishments."""

    def __init__(self, count: int, seed: int = 2026, reserved_kvk: frozenset[str] = frozenset({"12345678"})):
        self.count = count
        self.rng = random.Random(seed)
        # The contact persons draw from their own generator, so the rest of the registry is the
        # same for a seed as before they existed.
        self.contact_rng = random.Random(seed + 1)
        self.reserved = reserved_kvk
        self._places = list(PLACES)
        # Cumulative weights once: random.choices would add them up again on every call.
        self._place_weights = list(itertools.accumulate(p[3] for p in PLACES))
        self._forms = [f for f, _ in LEGAL_FORMS]
        self._form_weights = list(itertools.accumulate(w for _, w in LEGAL_FORMS))
        # Affine permutations give unique, scattered numbers without remembering them.
        self._kvk_a = self._coprime(90_000_000)
        self._kvk_b = self.rng.randrange(90_000_000)
        self._branch_a = self._coprime(10**12)
        self._branch_b = self.rng.randrange(10**12)

    def _coprime(self, modulus: int) -> int:
        while True:
            a = self.rng.randrange(modulus // 3, modulus)
            if math.gcd(a, modulus) == 1:
                return a

    def _kvk(self, index: int) -> str:
        while True:
            number = f"{10_000_000 + (self._kvk_a * index + self._kvk_b) % 90_000_000:08d}"
            if number not in self.reserved:
                return number
            index += 10**9  # outside every index the generator will use

    def _branch(self, index: int) -> str:
        return f"{(self._branch_a * index + self._branch_b) % 10**12:012d}"

    def _size(self) -> int:
        r = self.rng.random()
        if r < 0.88:
            return 1
        if r < 0.96:
            return self.rng.randint(2, 3)
        if r < 0.99:
            return self.rng.randint(4, 10)
        if r < 0.999:
            return self.rng.randint(11, 60)
        return self.rng.randint(100, 1500)

    def _company(self) -> tuple[str, str, bool]:
        """Return legal name, trade name pattern (may contain {place}) and whether it is a chain-like brand."""
        rng = self.rng
        form = rng.choices(self._forms, cum_weights=self._form_weights)[0]
        sector = rng.choice(SECTORS)
        surname = _capitalised(rng.choice(SURNAMES))
        pattern = rng.random()
        if form == "stichting":
            base = f"{rng.choice(FANTASY)} {rng.choice(['Zorg', 'Welzijn', 'Werk', 'Onderwijs', 'Wonen', 'Sport'])}"
            return f"Stichting {base}", base, False
        if form == "coop":
            base = f"{rng.choice(FANTASY)} {rng.choice(['Energie', 'Zorg', 'Werk', 'Boeren'])}"
            return f"Coöperatie {base} U.A.", base, False
        if form == "maatschap":
            other = _capitalised(rng.choice(SURNAMES))
            base = f"{surname} & {other} {rng.choice(['Advocaten', 'Accountants', 'Notarissen', 'Huisartsen', 'Fysiotherapie'])}"
            return f"Maatschap {base}", base, False
        if form == " en Zonen B.V.":
            base = surname
        elif sector in ("Café", "Eetcafé", "Brasserie", "Crêperie", "Restaurant") and pattern < 0.6:
            base = f"{sector} {rng.choice(CAFE_NAMES)}"
        elif pattern < 0.35:
            base = f"{sector} {surname}"
        elif pattern < 0.65:
            base = f"{surname} {sector}"
        elif pattern < 0.75:
            base = f"{rng.choice(FANTASY)} {sector}"
        elif pattern < 0.82:
            base = f"Gebr. {surname}"
        elif pattern < 0.9 and form == "":
            base = f"{sector} {rng.choice(FIRST_INITIALS)}. {surname}"
        else:
            base = f"{surname} {rng.choice(['Groep', 'Holding', 'Services', 'Projecten', 'Bouw', 'Techniek'])}"
        legal = f"{base}{form}" if form.startswith(" ") else base
        return legal, base, False

    def _place(self) -> tuple[str, int, int, int]:
        return self.rng.choices(self._places, cum_weights=self._place_weights)[0]

    def _address(self, place) -> tuple[str, str, str, str, str]:
        rng = self.rng
        name, low, high, _ = place
        digits = rng.randint(low, high)
        letters = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
        number = str(rng.randint(1, 250)) + (rng.choice(["", "", "", "", "a", "b", "-2"]))
        area = AREA_CODES[str(digits)[0]]
        phone = f"{area}-{rng.randint(1000000, 9999999)}" if area == "020" else f"{area} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        return rng.choice(STREETS), number, f"{digits} {letters}", name, phone

    def _contact(self, slug: str, phone: str) -> list[str]:
        """Name, e-mail address and phone of a contact person for about a third of the establishments."""
        rng = self.contact_rng
        if rng.random() >= CONTACT_SHARE:
            return ["", "", ""]
        initial, surname = rng.choice(FIRST_INITIALS), rng.choice(SURNAMES)
        mobile = f"06 {rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else phone
        return [f"{initial}. {surname}", f"{initial.lower()}.{_ascii_slug(surname)}@{slug}.nl", mobile]

    def __iter__(self) -> Iterator[list[str]]:
        rng = self.rng
        produced = 0
        company = 0
        branch_index = 0
        while produced < self.count:
            legal, base, _ = self._company()
            size = min(self._size(), self.count - produced)
            kvk = self._kvk(company)
            company += 1
            slug = _ascii_slug(base)
            website = f"https://www.{slug}.nl" if rng.random() < 0.6 else ""
            home = self._place()
            trade_mode = rng.random()
            for i in range(size):
                place = home if i == 0 else self._place()
                street, number, postcode, city, phone = self._address(place)
                if size == 1 and rng.random() < 0.01:
                    branch = ""
                else:
                    branch = self._branch(branch_index)
                    branch_index += 1
                if size > 10:
                    trade = f"{base} {city}"
                elif trade_mode < 0.5:
                    trade = base
                elif trade_mode < 0.7:
                    trade = f"{base} {city}" if size > 1 else base
                else:
                    trade = ""
                if trade == legal:
                    trade = ""
                email = f"{'info' if i == 0 else _ascii_slug(city)}@{slug}.nl" if rng.random() < 0.8 else ""
                yield [kvk, branch, legal, trade, "ja" if i == 0 else "nee", street, number, postcode, city, phone, email,
                       website, *self._contact(slug, phone)]
                produced += 1


def registry_rows(count: int, seed: int = 2026) -> Iterator[list[str]]:
    assert len(COLUMNS) == 15
    return iter(Registry(count, seed))


class FakerRegistry:
    """A second registry, for names and addresses the search was not designed for: company names,
    streets, places, postcodes and contact names from Faker's ``nl_NL`` providers ("Stichting
    Robbrechts Bruijne", "van Dommelen & van Egisheim", Kevinpad in Nieuw- en Sint Joosland).

    Faker costs about 0.2 ms per establishment, 9 minutes for 2.6 M; so it fills pools once (400,000
    company names, 100,000 streets, 20,000 places, 100,000 postcodes, 50,000 contact names) and a
    seeded generator draws from them. Faker's own lists are smaller than those pools (its company
    names combine about 1,100 surnames), so the pools lose no variety. Most companies have one
    establishment; about 12 % have 2 to 5 and 3 % have 6 to 20, in other places.
    """

    def __init__(self, count: int, seed: int = 2026, reserved_kvk: frozenset[str] = frozenset({"12345678"})):
        from faker import Faker

        self.count = count
        self.numbers = Registry(0, seed, reserved_kvk)  # its unique KvK and branch numbers
        self.rng = random.Random(seed)
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        scale = min(1.0, max(count, 10_000) / 2_600_000)
        self.companies = [fake.company() for _ in range(int(400_000 * scale))]
        self.streets = [fake.street_name() for _ in range(int(100_000 * scale))]
        self.places = [fake.city() for _ in range(int(20_000 * scale))]
        # Only what the import accepts (Faker also writes the letter pairs SA, SD and SS, which PostNL never uses).
        self.postcodes = [
            code for code in (fake.postcode() for _ in range(int(100_000 * scale)))
            if re.fullmatch(r"[1-9][0-9]{3} ?[A-Z]{2}", code) and code[-2:] not in ("SA", "SD", "SS")
        ]
        self.contacts = [fake.name() for _ in range(int(50_000 * scale))]

    def _size(self) -> int:
        r = self.rng.random()
        if r < 0.85:
            return 1
        if r < 0.97:
            return self.rng.randint(2, 5)
        return self.rng.randint(6, 20)

    def __iter__(self) -> Iterator[list[str]]:
        rng = self.rng
        produced = company = branch_index = 0
        while produced < self.count:
            legal = rng.choice(self.companies)
            size = min(self._size(), self.count - produced)
            kvk = self.numbers._kvk(company)
            company += 1
            slug = _ascii_slug(legal)
            website = f"https://www.{slug}.nl" if rng.random() < 0.5 else ""
            for i in range(size):
                branch = self.numbers._branch(branch_index)
                branch_index += 1
                postcode = rng.choice(self.postcodes)
                area = AREA_CODES.get(postcode[0], "020")
                phone = f"{area} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                contact = ["", "", ""]
                if rng.random() < CONTACT_SHARE:
                    name = rng.choice(self.contacts)
                    contact = [name, f"{_ascii_slug(name)[:20]}@{slug}.nl", phone]
                yield [kvk, branch, legal, "", "ja" if i == 0 else "nee", rng.choice(self.streets),
                       str(rng.randint(1, 300)), postcode, rng.choice(self.places), phone,
                       f"info@{slug}.nl" if rng.random() < 0.7 else "", website, *contact]
                produced += 1
