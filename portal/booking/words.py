"""Door passwords: a short adjective + noun pair in the citizen's language.

The locksmith says it at the door, so the citizen knows the visitor is genuine. Nouns are all
common gender (Danish "en", Swedish "en") so the adjective's base form is always correct.
"""

import secrets

WORDS = {
    "da": (
        "rød blå grøn gul hvid stor lille glad varm rund blød hurtig stille venlig frisk klog "
        "flink sød lys mørk høj lav ny gammel rolig modig munter ærlig",
        "hest kat hund fugl fisk ko gris ged and ugle rose tulipan sol måne stjerne sky bil båd "
        "cykel stol lampe kop ske gaffel kage bolle pære banan blomme citron bog kasse skov "
        "strand bro mølle klokke kugle hat sko jakke vante skål kande tromme fløjte",
    ),
    "sv": (
        "röd blå grön gul vit stor liten glad varm rund mjuk snabb stilla vänlig frisk klok "
        "snäll söt ljus mörk hög låg ny gammal lugn modig munter ärlig",
        "häst katt hund fågel fisk ko gris get and uggla ros tulpan sol måne stjärna bil båt "
        "cykel stol lampa kopp sked gaffel kaka bulle banan citron gurka tomat bok låda skog "
        "strand bro kvarn klocka kula hatt sko jacka vante skål kanna trumma flöjt",
    ),
    "en": (
        "red blue green yellow white big little happy warm round soft quick quiet kind fresh "
        "wise sweet bright dark tall new old calm brave merry honest gentle",
        "horse cat dog bird fish cow pig goat duck owl rose tulip sun moon star cloud car boat "
        "bicycle chair lamp cup spoon fork cake bun pear banana plum lemon book box forest beach "
        "bridge mill bell ball hat shoe jacket mitten bowl jug drum flute",
    ),
}


def door_password(language: str, rng=None) -> str:
    """A word pair such as "blå hest" in the citizen's language (Danish when unknown)."""
    rng = rng or secrets.SystemRandom()
    adjectives, nouns = WORDS.get(language, WORDS["da"])
    return f"{rng.choice(adjectives.split())} {rng.choice(nouns.split())}"
