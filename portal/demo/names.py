"""Fake names and streets for demo data (no real people)."""

FIRST = (
    "Agnes", "Alma", "Anna", "Astrid", "Birthe", "Bodil", "Dagmar", "Edith", "Ella", "Erna",
    "Grete", "Hanne", "Inge", "Jytte", "Karen", "Kirsten", "Lis", "Margit", "Ruth", "Signe",
    "Aage", "Arne", "Bent", "Carl", "Erik", "Finn", "Gunnar", "Hans", "Henning", "Jens",
    "Johannes", "Knud", "Leif", "Niels", "Ole", "Poul", "Svend", "Torben", "Viggo", "Åge",
)  # fmt: skip
LAST = (
    "Andersen", "Bak", "Christensen", "Dahl", "Eriksen", "Frandsen", "Gregersen", "Holm",
    "Iversen", "Jensen", "Kristensen", "Lund", "Madsen", "Nielsen", "Olesen", "Petersen",
    "Rasmussen", "Sørensen", "Thomsen", "Vestergaard", "Winther", "Østergaard",
)  # fmt: skip
STREETS = (
    "Møllevej", "Skolegade", "Kirkevej", "Bøgealle", "Ahornvej", "Engvej", "Havnegade",
    "Stationsvej", "Rosenvænget", "Lindevej", "Søndergade", "Nørregade", "Parkvej", "Bakkevej",
)  # fmt: skip
ORGS = (
    "Boligselskabet Demohjem", "Andelsboligforeningen Lindegården", "Demo Ejendomme A/S",
    "Boligforeningen Solsikken", "Seniorbo Demoby",
)  # fmt: skip
