"""Reusable English fragments for the rule tables (canonical text: chat-speak already expanded)."""

from __future__ import annotations

YOU = r"(?:you|ya|yall|you guys)"
YOUR = r"(?:your|ya|yo)"
YOU_ARE = r"(?:you are|your|you)"
ARE_YOU = r"(?:are you|are ya|you|ya)"
I_OFFER = r"(?:i will|ill|i can|i could|i would|i d|i want to|i am going to|let me|i might|i shall|we can|we will|i)"
PARENTS = (
    r"(?:parents|parent|moms|mums|dads|mom|mum|mommy|mama|dad|daddy|father|mother|folks|family|step ?mom|step ?dad|"
    r"grandma|grandpa|guardian|mom and dad|teacher|teachers)"
)
PRIVATE_APP = (
    r"(?:snap|snapchat|sc|insta|instagram|ig|kik|telegram|tg|whatsapp|wa|line|wechat|weixin|wx|vx|qq|skype|"
    r"facebook|fb|messenger|tiktok|imessage|facetime|signal|wickr|viber|omegle|session|threema|hangouts|"
    r"yubo|wink|hoop|monkey|google chat|tele)"
)
GAME_APP = r"(?:discord|steam|xbox|xbl|psn|playstation|roblox|minecraft|twitch|epic|fortnite|ea|battle ?net)"
PIC = (
    r"(?:pic|pics|photo|photos|selfie|selfies|snap|snaps|image|images|vid|vids|video|videos|nude|nudes|noodz|"
    r"nudez|noods|nood|nudies|shot|shots)"
)
PIC_ADJ = (
    r"(?:(?:a|an|some|more|another|one|1|few|couple|of|the|that|those|these|any|anymore|your|ya|new|cute|sexy|hot|"
    r"naughty|"
    r"private|special|full|body|face|bikini|mirror|bathroom|shower|bedroom|pretty|little|lil|real|recent|current|"
    r"quick|good|nice|close up|closeup|sneaky|dirty|spicy|proper)\s+){0,3}"
)
MINOR_AGE = r"(?:1[0-7]|[89]|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
# A picture "of" something other than the addressee ("a pic of the receipt", "of your dog") is not the act.
NOT_OBJECT_PIC = r"(?! of (?!you\b|yourself\b|your (?:body|face|legs|feet|boobs|butt|ass|outfit|self)\b|urself\b))"
GIFT = (
    r"(?:robux|v ?bucks|vbucks|skins?|gems|coins|gold|diamonds|gift ?cards?|money|cash|\$ ?\d+|\d+ ?(?:dollars|bucks|"
    r"usd|\$)|"
    r"phone|iphone|ipad|phone credit|game credit|store credit|data|clothes|makeup|nitro|battle ?pass|items|ps5|xbox|"
    r"switch|airpods|"
    r"shoes|jewelry|alcohol|weed|vape|vapes|cigarettes|membership|premium|tokens|uc|primogems|minecoins|crystals)"
)
SOFT_GIFT = (
    r"(?:something|anything|stuff|a gift|gifts|a present|presents|food|pizza|candy|a game|games|drinks?|snacks|boba|"
    r"bubble tea|milk tea|ice cream|fries|starbucks|mcdonalds|lunch)"
)
# Explicit words that are sexual whoever says them (insult words like "dick" or "pussy" are handled apart).
EXPLICIT = (
    r"(?:cum|cumming|orgasms?|blow ?jobs?|bj|handjob|(?<!opposite )(?<!same )sex(?! (?:ed|education|offenders?))|naked|"
    r"nude|nudes|horny|condom|make love|making love|masturbat\w*|jerk off|boner|erection|thong|lingerie|panties|"
    r"wet dreams?)"
)
PRIVATE_PARTS = r"(?:pussy|dick|cock|penis|vagina|clit|tits|titties|boobs|nipples|butthole)"
ABOUT_TO = r"(?:i will|ill|i am going to|i am gonna|i gonna|i|we will|i shall)"
