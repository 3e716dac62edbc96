package seed

import (
	"strings"
	"sync"
)

// ukPostcodes lists real outward postcodes for the towns of refdata's UK counties, keyed by CountyID:
// "Town:CODE CODE; Town:CODE". A town missing here falls back to its region's codes (the tests check
// that every UK town in refdata is covered).
var ukPostcodes = map[int]string{
	1:   "Durham:DH1; Darlington:DL1 DL3; Hartlepool:TS24 TS26; Stockton-on-Tees:TS18 TS19; Bishop Auckland:DL14; Consett:DH8",
	2:   "Alnwick:NE66; Berwick-upon-Tweed:TD15; Blyth:NE24; Cramlington:NE23; Hexham:NE46; Morpeth:NE61",
	3:   "Newcastle upon Tyne:NE1 NE2 NE4 NE6; Sunderland:SR1 SR2 SR4; Gateshead:NE8 NE9; South Shields:NE33 NE34; North Shields:NE29 NE30; Whitley Bay:NE25 NE26",
	4:   "Chester:CH1 CH2 CH4; Crewe:CW1 CW2; Macclesfield:SK10 SK11; Warrington:WA1 WA4 WA5; Northwich:CW8 CW9; Widnes:WA8",
	5:   "Carlisle:CA1 CA2 CA3; Kendal:LA9; Barrow-in-Furness:LA13 LA14; Penrith:CA11; Workington:CA14; Whitehaven:CA28",
	6:   "Manchester:M1 M4 M14 M15 M20 M21; Salford:M5 M6 M50; Bolton:BL1 BL3; Stockport:SK1 SK4; Wigan:WN1 WN5; Oldham:OL1 OL8",
	7:   "Preston:PR1 PR2; Blackpool:FY1 FY4; Blackburn:BB1 BB2; Lancaster:LA1; Burnley:BB10 BB11; Chorley:PR7",
	8:   "Liverpool:L1 L3 L8 L17 L18; Birkenhead:CH41 CH43; St Helens:WA9 WA10; Southport:PR8 PR9; Bootle:L20; Wallasey:CH44 CH45",
	9:   "Kingston upon Hull:HU1 HU3 HU5; Beverley:HU17; Bridlington:YO15 YO16; Goole:DN14; Driffield:YO25",
	10:  "York:YO1 YO10 YO24 YO31; Harrogate:HG1 HG2; Scarborough:YO11 YO12; Ripon:HG4; Whitby:YO21 YO22; Selby:YO8",
	11:  "Sheffield:S1 S7 S10 S11; Doncaster:DN1 DN4; Rotherham:S60 S65; Barnsley:S70 S75",
	12:  "Leeds:LS1 LS6 LS7 LS11; Bradford:BD1 BD3 BD8; Wakefield:WF1 WF2; Huddersfield:HD1 HD2; Halifax:HX1 HX3; Keighley:BD21",
	13:  "Derby:DE1 DE22 DE23; Chesterfield:S40 S41; Buxton:SK17; Matlock:DE4; Ilkeston:DE7; Glossop:SK13",
	14:  "Leicester:LE1 LE2 LE3; Loughborough:LE11; Hinckley:LE10; Melton Mowbray:LE13; Market Harborough:LE16; Coalville:LE67",
	15:  "Lincoln:LN1 LN2 LN6; Grantham:NG31; Boston:PE21; Skegness:PE25; Stamford:PE9; Spalding:PE11",
	16:  "Northampton:NN1 NN3 NN5; Kettering:NN15 NN16; Corby:NN17; Wellingborough:NN8; Daventry:NN11",
	17:  "Nottingham:NG1 NG5 NG7; Mansfield:NG18 NG19; Newark-on-Trent:NG24; Worksop:S80 S81; Beeston:NG9",
	18:  "Oakham:LE15; Uppingham:LE15",
	19:  "Hereford:HR1 HR2 HR4; Leominster:HR6; Ledbury:HR8; Ross-on-Wye:HR9",
	20:  "Shrewsbury:SY1 SY2 SY3; Telford:TF1 TF3; Oswestry:SY11; Bridgnorth:WV16; Ludlow:SY8",
	21:  "Stoke-on-Trent:ST1 ST4 ST6; Stafford:ST16 ST17; Burton upon Trent:DE13 DE14; Tamworth:B77 B79; Lichfield:WS13 WS14; Newcastle-under-Lyme:ST5",
	22:  "Warwick:CV34; Nuneaton:CV10 CV11; Rugby:CV21 CV22; Leamington Spa:CV31 CV32; Stratford-upon-Avon:CV37",
	23:  "Birmingham:B1 B5 B13 B15 B29; Coventry:CV1 CV2 CV5; Wolverhampton:WV1 WV3; Solihull:B90 B91; Walsall:WS1 WS2; Dudley:DY1 DY2",
	24:  "Worcester:WR1 WR2 WR5; Redditch:B97 B98; Kidderminster:DY10 DY11; Bromsgrove:B60 B61; Malvern:WR14",
	25:  "Bedford:MK40 MK41; Luton:LU1 LU2 LU4; Dunstable:LU5 LU6; Leighton Buzzard:LU7",
	26:  "Cambridge:CB1 CB2 CB4; Peterborough:PE1 PE2 PE3; Ely:CB6 CB7; Huntingdon:PE29; St Neots:PE19; Wisbech:PE13",
	27:  "Chelmsford:CM1 CM2; Colchester:CO1 CO2 CO4; Southend-on-Sea:SS1 SS2; Basildon:SS14 SS16; Harlow:CM19 CM20; Brentwood:CM14 CM15",
	28:  "St Albans:AL1 AL3; Watford:WD17 WD18 WD24; Stevenage:SG1 SG2; Hemel Hempstead:HP1 HP2; Hertford:SG13 SG14; Hitchin:SG4 SG5",
	29:  "Norwich:NR1 NR2 NR3; Great Yarmouth:NR30 NR31; King's Lynn:PE30; Thetford:IP24; Cromer:NR27",
	30:  "Ipswich:IP1 IP3 IP4; Bury St Edmunds:IP32 IP33; Lowestoft:NR32 NR33; Felixstowe:IP11; Sudbury:CO10",
	31:  "Westminster:SW1A SW1P SW1E; Mayfair:W1J W1K; Soho:W1D W1F; Marylebone:W1U W1G NW1; Kensington:W8 SW7; Covent Garden:WC2E WC2H",
	32:  "Stratford:E15 E20; Canary Wharf:E14; Ilford:IG1 IG2; Romford:RM1 RM7; Walthamstow:E17; Barking:IG11",
	33:  "Camden Town:NW1; Islington:N1 N7; Enfield:EN1 EN2; Barnet:EN4 EN5 N20; Tottenham:N15 N17; Hampstead:NW3",
	34:  "Croydon:CR0 CR2; Wimbledon:SW19; Brixton:SW2 SW9; Bromley:BR1 BR2; Greenwich:SE10; Clapham:SW4 SW11",
	35:  "Hammersmith:W6; Ealing:W5 W13; Richmond:TW9 TW10; Hounslow:TW3 TW4; Uxbridge:UB8 UB10; Chiswick:W4",
	36:  "Reading:RG1 RG2 RG30; Slough:SL1 SL2; Bracknell:RG12; Maidenhead:SL6; Windsor:SL4; Newbury:RG14",
	37:  "Aylesbury:HP19 HP20 HP21; High Wycombe:HP11 HP13; Milton Keynes:MK6 MK9 MK10; Amersham:HP6 HP7; Beaconsfield:HP9",
	38:  "Brighton:BN1 BN2; Hove:BN3; Eastbourne:BN21 BN22; Hastings:TN34; Lewes:BN7; Bexhill-on-Sea:TN39 TN40",
	39:  "Southampton:SO14 SO15 SO17; Portsmouth:PO1 PO4 PO5; Winchester:SO22 SO23; Basingstoke:RG21 RG24; Farnborough:GU14; Andover:SP10",
	40:  "Newport:PO30; Ryde:PO33; Cowes:PO31; Shanklin:PO37; Sandown:PO36",
	41:  "Maidstone:ME14 ME15 ME16; Canterbury:CT1 CT2; Ashford:TN23 TN24; Margate:CT9; Dover:CT16 CT17; Folkestone:CT19 CT20",
	42:  "Oxford:OX1 OX2 OX4; Banbury:OX16; Bicester:OX26; Abingdon:OX14; Witney:OX28; Didcot:OX11",
	43:  "Guildford:GU1 GU2; Woking:GU21 GU22; Epsom:KT17 KT18; Reigate:RH2; Camberley:GU15; Farnham:GU9",
	44:  "Chichester:PO19; Crawley:RH10 RH11; Worthing:BN11 BN14; Horsham:RH12 RH13; Bognor Regis:PO21 PO22",
	45:  "Bristol:BS1 BS2 BS5 BS6; Clifton:BS8; Bedminster:BS3; Filton:BS34",
	46:  "Truro:TR1; Falmouth:TR11; Newquay:TR7; Penzance:TR18; St Austell:PL25; Bodmin:PL31",
	47:  "Exeter:EX1 EX2 EX4; Plymouth:PL1 PL4 PL6; Torquay:TQ1 TQ2; Barnstaple:EX31 EX32; Paignton:TQ3 TQ4; Exmouth:EX8",
	48:  "Bournemouth:BH1 BH8 BH9; Poole:BH14 BH15; Dorchester:DT1; Weymouth:DT3 DT4; Bridport:DT6",
	49:  "Gloucester:GL1 GL2 GL4; Cheltenham:GL50 GL51 GL52; Stroud:GL5; Cirencester:GL7; Tewkesbury:GL20",
	50:  "Bath:BA1 BA2; Taunton:TA1 TA2; Weston-super-Mare:BS22 BS23; Yeovil:BA20 BA21; Bridgwater:TA6; Wells:BA5",
	51:  "Swindon:SN1 SN2 SN3 SN5; Salisbury:SP1 SP2; Chippenham:SN14 SN15; Trowbridge:BA14; Devizes:SN10",
	52:  "Wrexham:LL11 LL12 LL13; Rhyl:LL18; Mold:CH7; Colwyn Bay:LL29; Prestatyn:LL19; Flint:CH6",
	53:  "Carmarthen:SA31; Llanelli:SA14 SA15; Aberystwyth:SY23; Haverfordwest:SA61 SA62; Pembroke:SA71; Tenby:SA70",
	54:  "Newport:NP19 NP20; Cwmbran:NP44; Pontypool:NP4; Ebbw Vale:NP23; Abergavenny:NP7; Monmouth:NP25",
	55:  "Bangor:LL57; Caernarfon:LL55; Holyhead:LL65; Porthmadog:LL49; Pwllheli:LL53",
	56:  "Bridgend:CF31 CF35; Merthyr Tydfil:CF47 CF48; Pontypridd:CF37; Caerphilly:CF83; Aberdare:CF44",
	57:  "Newtown:SY16; Brecon:LD3; Welshpool:SY21; Llandrindod Wells:LD1",
	58:  "Cardiff:CF10 CF11 CF14 CF24; Barry:CF62 CF63; Penarth:CF64; Cowbridge:CF71",
	59:  "Swansea:SA1 SA2 SA3; Neath:SA10 SA11; Port Talbot:SA12 SA13",
	60:  "Aberdeen:AB10 AB11 AB24 AB25; Dyce:AB21; Cults:AB15",
	61:  "Peterhead:AB42; Fraserburgh:AB43; Inverurie:AB51; Stonehaven:AB39; Ellon:AB41",
	62:  "Arbroath:DD11; Forfar:DD8; Montrose:DD10; Brechin:DD9",
	63:  "Oban:PA34; Helensburgh:G84; Dunoon:PA23; Campbeltown:PA28; Rothesay:PA20",
	64:  "Edinburgh:EH1 EH3 EH7 EH10; Leith:EH6; Portobello:EH15; South Queensferry:EH30",
	65:  "Alloa:FK10; Tillicoultry:FK13; Alva:FK12",
	66:  "Dumfries:DG1 DG2; Stranraer:DG9; Annan:DG12; Castle Douglas:DG7",
	67:  "Dundee:DD1 DD2 DD3 DD4; Broughty Ferry:DD5",
	68:  "Kilmarnock:KA1 KA3; Cumnock:KA18; Stewarton:KA3",
	69:  "Bearsden:G61; Kirkintilloch:G66; Milngavie:G62; Bishopbriggs:G64",
	70:  "Haddington:EH41; Musselburgh:EH21; North Berwick:EH39; Dunbar:EH42",
	71:  "Newton Mearns:G77; Barrhead:G78; Giffnock:G46; Clarkston:G76",
	72:  "Falkirk:FK1 FK2; Grangemouth:FK3; Bo'ness:EH51; Larbert:FK5",
	73:  "Dunfermline:KY11 KY12; Kirkcaldy:KY1 KY2; Glenrothes:KY6 KY7; St Andrews:KY16; Cupar:KY15",
	74:  "Glasgow:G1 G2 G3 G12 G41; Govan:G51; Partick:G11",
	75:  "Inverness:IV1 IV2 IV3; Fort William:PH33; Thurso:KW14; Wick:KW1; Nairn:IV12; Aviemore:PH22",
	76:  "Greenock:PA15 PA16; Port Glasgow:PA14; Gourock:PA19",
	77:  "Dalkeith:EH22; Penicuik:EH26; Bonnyrigg:EH19",
	78:  "Elgin:IV30; Forres:IV36; Buckie:AB56; Lossiemouth:IV31",
	79:  "Stornoway:HS1; Tarbert:HS3; Balivanich:HS7",
	80:  "Irvine:KA11 KA12; Saltcoats:KA21; Kilwinning:KA13; Largs:KA30",
	81:  "Motherwell:ML1; Airdrie:ML6; Coatbridge:ML5; Cumbernauld:G67 G68; Wishaw:ML2",
	82:  "Kirkwall:KW15; Stromness:KW16",
	83:  "Perth:PH1 PH2; Crieff:PH7; Pitlochry:PH16; Blairgowrie:PH10; Kinross:KY13",
	84:  "Paisley:PA1 PA2 PA3; Renfrew:PA4; Johnstone:PA5; Erskine:PA8",
	85:  "Galashiels:TD1; Hawick:TD9; Peebles:EH45; Kelso:TD5; Selkirk:TD7",
	86:  "Lerwick:ZE1; Scalloway:ZE1; Brae:ZE2",
	87:  "Ayr:KA7 KA8; Troon:KA10; Prestwick:KA9; Girvan:KA26",
	88:  "Hamilton:ML3; East Kilbride:G74 G75; Lanark:ML11; Rutherglen:G73; Carluke:ML8",
	89:  "Stirling:FK7 FK8; Dunblane:FK15; Callander:FK17; Bridge of Allan:FK9",
	90:  "Clydebank:G81; Dumbarton:G82; Alexandria:G83",
	91:  "Livingston:EH54; Bathgate:EH48; Linlithgow:EH49; Broxburn:EH52",
	92:  "Belfast:BT1 BT7 BT9 BT15; Lisburn:BT27 BT28; Ballymena:BT42 BT43; Antrim:BT41; Larne:BT40; Carrickfergus:BT38",
	93:  "Armagh:BT60 BT61; Lurgan:BT66 BT67; Portadown:BT62 BT63",
	94:  "Newry:BT34 BT35; Bangor:BT19 BT20; Downpatrick:BT30; Newtownards:BT23; Holywood:BT18",
	95:  "Enniskillen:BT74; Lisnaskea:BT92; Irvinestown:BT94",
	96:  "Derry:BT47 BT48; Coleraine:BT51 BT52; Limavady:BT49; Magherafelt:BT45",
	97:  "Omagh:BT78 BT79; Dungannon:BT70 BT71; Strabane:BT82; Cookstown:BT80",
	98:  "St Peter Port:GY1; St Sampson:GY2; Vale:GY3 GY6; St Anne:GY9",
	99:  "St Helier:JE2 JE4; St Brelade:JE3; Gorey:JE3; St Aubin:JE3",
	100: "Douglas:IM1 IM2; Ramsey:IM8; Peel:IM5; Castletown:IM9; Onchan:IM3",
}

// regionPostcodes are fallbacks by UK RegionID.
var regionPostcodes = map[int][]string{
	1: {"NE1", "DH1", "SR1"}, 2: {"M1", "L1", "PR1"}, 3: {"LS1", "S1", "YO1"}, 4: {"NG1", "LE1", "DE1"},
	5: {"B1", "CV1", "WV1"}, 6: {"CB1", "NR1", "CM1"}, 7: {"W1D", "EC1A", "SE1", "N1"}, 8: {"RG1", "BN1", "SO14"},
	9: {"BS1", "EX1", "BA1"}, 10: {"CF10", "SA1", "LL11"}, 11: {"EH1", "G1", "AB10"}, 12: {"BT1"},
	13: {"GY1", "JE2"}, 14: {"IM1"},
}

type townKey struct {
	county int
	town   string
}

var (
	postcodeOnce  sync.Once
	postcodeTable map[townKey][]string
)

// townPostcodes returns the outward codes of a town in a county, or nil when the table lacks it.
func townPostcodes(county int, town string) []string {
	postcodeOnce.Do(func() {
		postcodeTable = make(map[townKey][]string)
		for county, list := range ukPostcodes {
			for entry := range strings.SplitSeq(list, ";") {
				name, codes, _ := strings.Cut(strings.TrimSpace(entry), ":")
				postcodeTable[townKey{county, name}] = strings.Fields(codes)
			}
		}
	})
	return postcodeTable[townKey{county, town}]
}
