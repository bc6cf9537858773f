"""Facts of the demo catalogue, written for this project (no record copied from elsewhere).

One line per title: ``title | authors | publisher | year | subjects | summary | copies``.

- authors: ``Name, First name`` separated by `` / ``; ``@`` marks a group or company; a
  UNIMARC relator code in brackets gives the role (default: the category's role);
- subjects: RAMEAU-like headings separated by `` ; `` (`` -- `` separates subdivisions);
- summary: a short description in our own words;
- copies: number of items the BDVO holds (popular titles have several).

``scripts/build_demo_catalogue.py`` turns these lines into UNIMARC records with 995 items.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    leader_type: str  # UNIMARC leader/06-07
    item_type: str  # 995$r
    audience: str  # 995$q: a (adultes), j (jeunesse), ado
    audience_code: str  # 100$a/17
    call_prefix: str  # start of 995$k
    section: str  # 995$e
    default_role: str  # UNIMARC relator code of the authors
    medium: str  # 215$a
    lines: str


ADULT_FICTION = """
L'Étranger | Camus, Albert | Gallimard | 1942 | Roman français -- 20e siècle ; Absurde (philosophie) | À Alger, Meursault tue un homme sur une plage puis assiste à son procès avec une indifférence qui scandalise ses juges. | 3
La Peste | Camus, Albert | Gallimard | 1947 | Roman français -- 20e siècle ; Épidémies -- Romans | Une épidémie frappe Oran ; le docteur Rieux et quelques habitants s'organisent pour lutter contre le fléau. | 2
Au revoir là-haut | Lemaitre, Pierre | Albin Michel | 2013 | Guerre mondiale (1914-1918) -- Romans ; Anciens combattants -- Romans ; Prix Goncourt | Deux rescapés des tranchées, oubliés par la société de l'après-guerre, montent une escroquerie aux monuments aux morts. | 4
Couleurs de l'incendie | Lemaitre, Pierre | Albin Michel | 2018 | France -- 1918-1940 -- Romans ; Vengeance -- Romans | Héritière d'un empire bancaire ruinée par des proches sans scrupules, Madeleine Péricourt prépare patiemment sa revanche. | 2
Miroir de nos peines | Lemaitre, Pierre | Albin Michel | 2020 | Guerre mondiale (1939-1945) -- Romans ; Exode (1940) -- Romans | Au printemps 1940, une jeune institutrice est entraînée dans la débâcle et découvre un secret de famille. | 2
Trois jours et une vie | Lemaitre, Pierre | Albin Michel | 2016 | Culpabilité -- Romans ; Roman psychologique | À douze ans, Antoine provoque la disparition d'un enfant de son village et vit ensuite dans la peur d'être découvert. | 1
Alex | Lemaitre, Pierre | Albin Michel | 2011 | Roman policier français ; Enlèvements -- Romans | Le commandant Verhœven enquête sur l'enlèvement d'une jeune femme dont le passé se révèle bien plus trouble que prévu. | 2
L'Élégance du hérisson | Barbery, Muriel | Gallimard | 2006 | Concierges -- Romans ; Paris (France) -- Romans | Dans un immeuble bourgeois de Paris, une concierge cultivée et une adolescente surdouée cachent leur intelligence au monde. | 3
La Vérité sur l'affaire Harry Quebert | Dicker, Joël | Éditions de Fallois | 2012 | Roman policier suisse ; Écrivains -- Romans | Un jeune romancier en panne d'inspiration enquête pour disculper son mentor, accusé du meurtre d'une adolescente disparue en 1975. | 4
Chanson douce | Slimani, Leïla | Gallimard | 2016 | Gardes d'enfants -- Romans ; Prix Goncourt | Un couple parisien engage une nourrice parfaite, jusqu'au drame annoncé dès la première page. | 3
Le Pays des autres | Slimani, Leïla | Gallimard | 2020 | Maroc -- 1945-1956 -- Romans ; Couples mixtes -- Romans | Après la Libération, une Alsacienne suit au Maroc l'officier marocain qu'elle a épousé et découvre une terre en lutte. | 2
L'Anomalie | Le Tellier, Hervé | Gallimard | 2020 | Science-fiction française ; Prix Goncourt | Les passagers d'un vol Paris-New York découvrent qu'ils existent en double, à quelques mois d'intervalle. | 4
Leurs enfants après eux | Mathieu, Nicolas | Actes Sud | 2018 | Adolescents -- Romans ; Lorraine (France) -- Romans ; Prix Goncourt | Quatre étés dans une vallée lorraine désindustrialisée, à travers l'adolescence d'Anthony et de ses amis. | 3
La plus secrète mémoire des hommes | Sarr, Mohamed Mbougar | Philippe Rey | 2021 | Écrivains africains -- Romans ; Prix Goncourt | Un jeune écrivain sénégalais part sur les traces d'un auteur mystérieux, encensé puis oublié dans les années 1930. | 2
Vivre vite | Giraud, Brigitte | Flammarion | 2022 | Deuil -- Romans ; Prix Goncourt | La narratrice reconstitue les hasards qui ont conduit à l'accident de moto de son mari en 1999. | 2
Veiller sur elle | Andrea, Jean-Baptiste | L'Iconoclaste | 2023 | Italie -- 1900-1945 -- Romans ; Sculpteurs -- Romans ; Prix Goncourt | Dans l'Italie du début du XXe siècle, un sculpteur de petite taille et une jeune aristocrate se lient d'une amitié indéfectible. | 3
Houris | Daoud, Kamel | Gallimard | 2024 | Algérie -- 1990-.... (Guerre civile) -- Romans ; Prix Goncourt | Une jeune femme muette, survivante d'un massacre de la guerre civile algérienne, s'adresse à l'enfant qu'elle porte. | 2
Les Bienveillantes | Littell, Jonathan | Gallimard | 2006 | Guerre mondiale (1939-1945) -- Romans ; Holocauste -- Romans | Les mémoires imaginaires d'un officier SS, témoin et acteur de l'extermination sur le front de l'Est. | 1
Trois femmes puissantes | NDiaye, Marie | Gallimard | 2009 | Femmes -- Romans ; Sénégal -- Romans ; Prix Goncourt | Trois récits de femmes qui, entre la France et le Sénégal, résistent aux humiliations. | 1
Pas pleurer | Salvayre, Lydie | Seuil | 2014 | Espagne -- 1936-1939 (Guerre civile) -- Romans ; Prix Goncourt | Une mère se souvient de l'été 1936 en Catalogne tandis que Bernanos dénonce la terreur franquiste. | 1
Boussole | Énard, Mathias | Actes Sud | 2015 | Orient et Occident -- Romans ; Musicologues -- Romans ; Prix Goncourt | Une nuit d'insomnie à Vienne, un musicologue revit ses voyages et son amour pour une orientaliste. | 1
L'Ordre du jour | Vuillard, Éric | Actes Sud | 2017 | Anschluss (1938) -- Récits ; Prix Goncourt | Récit de la complicité des grands industriels allemands et des coulisses de l'annexion de l'Autriche. | 2
Tous les hommes n'habitent pas le monde de la même façon | Dubois, Jean-Paul | L'Olivier | 2019 | Prisons -- Romans ; Québec (Canada) -- Romans ; Prix Goncourt | Depuis sa cellule de Montréal, Paul Hansen se souvient de son père pasteur et de sa vie de concierge. | 2
Les Années | Ernaux, Annie | Gallimard | 2008 | France -- 1945-.... -- Récits ; Mémoire collective | Une autobiographie impersonnelle qui fait défiler soixante ans de mémoire collective française. | 2
La Place | Ernaux, Annie | Gallimard | 1983 | Pères et filles -- Récits ; Classes sociales -- France | Après la mort de son père, la narratrice retrace la vie d'un homme issu du monde ouvrier devenu petit commerçant. | 2
L'Événement | Ernaux, Annie | Gallimard | 2000 | Avortement -- Récits ; France -- 1960-1970 | Le récit d'un avortement clandestin en 1963, quand la loi l'interdisait encore. | 1
Rien ne s'oppose à la nuit | Vigan, Delphine de | JC Lattès | 2011 | Mères et filles -- Romans ; Troubles bipolaires -- Romans | La narratrice reconstitue la vie de sa mère, femme lumineuse et fragile, après sa disparition. | 2
No et moi | Vigan, Delphine de | JC Lattès | 2007 | Sans-abri -- Romans ; Adolescents -- Romans | Une collégienne surdouée se lie avec une jeune fille qui vit dans la rue et tente de l'aider. | 2
Les Enfants sont rois | Vigan, Delphine de | Gallimard | 2021 | Téléréalité -- Romans ; Réseaux sociaux -- Romans | Une enquête sur la disparition d'une enfant star d'une chaîne familiale de vidéos en ligne. | 2
Ensemble, c'est tout | Gavalda, Anna | Le Dilettante | 2004 | Amitié -- Romans ; Paris (France) -- Romans | Quatre êtres cabossés apprennent à vivre ensemble dans un grand appartement parisien. | 3
La Tresse | Colombani, Laetitia | Grasset | 2017 | Femmes -- Conditions sociales -- Romans | Trois femmes, en Inde, en Sicile et au Canada, unies sans le savoir par un même fil. | 3
Changer l'eau des fleurs | Perrin, Valérie | Albin Michel | 2018 | Cimetières -- Romans ; Deuil -- Romans | Violette, garde-cimetière en Bourgogne, accueille les visiteurs et cache une histoire douloureuse. | 4
Les Oubliés du dimanche | Perrin, Valérie | Albin Michel | 2015 | Maisons de retraite -- Romans ; Mémoire -- Romans | Une aide-soignante recueille les souvenirs d'une pensionnaire de maison de retraite. | 2
La Délicatesse | Foenkinos, David | Gallimard | 2009 | Deuil -- Romans ; Amour -- Romans | Devenue veuve, Nathalie se reconstruit et s'éprend contre toute attente d'un collègue discret. | 2
Charlotte | Foenkinos, David | Gallimard | 2014 | Salomon, Charlotte (1917-1943) -- Romans ; Prix Renaudot | Vie de la peintre Charlotte Salomon, déportée à Auschwitz, racontée en vers libres. | 2
Le Mystère Henri Pick | Foenkinos, David | Gallimard | 2016 | Éditeurs -- Romans ; Bretagne (France) -- Romans | Une éditrice découvre dans une bibliothèque des refusés un chef-d'œuvre signé d'un pizzaïolo disparu. | 1
Petit pays | Faye, Gaël | Grasset | 2016 | Burundi -- Romans ; Rwanda -- 1994 (Génocide) -- Romans | Gabriel, enfant métis au Burundi, voit son paradis d'enfance basculer dans la guerre. | 4
Jacaranda | Faye, Gaël | Grasset | 2024 | Rwanda -- Romans ; Prix Renaudot | De la France au Rwanda, Milan découvre l'histoire de sa mère et de son pays après le génocide. | 3
Réparer les vivants | Kerangal, Maylis de | Verticales | 2014 | Transplantation d'organes -- Romans | Les vingt-quatre heures d'une transplantation cardiaque, du drame d'un jeune surfeur à la survie d'une inconnue. | 2
Naissance d'un pont | Kerangal, Maylis de | Verticales | 2010 | Ponts -- Romans ; Prix Médicis | La construction d'un pont géant dans une ville imaginaire de Californie et les vies qu'elle rassemble. | 1
Soumission | Houellebecq, Michel | Flammarion | 2015 | Politique -- France -- Romans ; Anticipation | En 2022, un universitaire assiste à l'élection d'un président issu d'un parti musulman. | 1
La Carte et le Territoire | Houellebecq, Michel | Flammarion | 2010 | Artistes -- Romans ; Prix Goncourt | L'ascension d'un artiste plasticien et sa rencontre avec un écrivain nommé Michel Houellebecq. | 1
Le Royaume | Carrère, Emmanuel | P.O.L | 2014 | Christianisme -- Origines -- Récits | L'auteur revient sur sa conversion passée et enquête sur les premiers chrétiens, Paul et Luc. | 1
Limonov | Carrère, Emmanuel | P.O.L | 2011 | Limonov, Édouard (1943-2020) -- Récits ; Prix Renaudot | La vie aventureuse de l'écrivain et agitateur russe Édouard Limonov. | 1
Stupeur et tremblements | Nothomb, Amélie | Albin Michel | 1999 | Japon -- Romans ; Entreprises -- Romans | Une jeune Belge employée dans une grande firme de Tokyo subit une humiliante descente hiérarchique. | 3
Hygiène de l'assassin | Nothomb, Amélie | Albin Michel | 1992 | Écrivains -- Romans | Un prix Nobel mourant et misanthrope reçoit des journalistes ; une seule lui tient tête. | 1
Premier sang | Nothomb, Amélie | Albin Michel | 2021 | Pères -- Romans ; Congo (République démocratique) -- Romans ; Prix Renaudot | L'autrice prête sa voix à son père, diplomate pris en otage au Congo en 1964. | 2
L'Amie prodigieuse | Ferrante, Elena / Damien, Elsa [730] | Gallimard | 2014 | Amitié féminine -- Romans ; Naples (Italie) -- Romans | Dans un quartier pauvre de Naples, l'amitié de Lila et Elena, de l'enfance à l'âge adulte. | 3
Le Parfum | Süskind, Patrick / Lortholary, Bernard [730] | Fayard | 1986 | Meurtriers en série -- Romans ; Parfums -- Romans | Au XVIIIe siècle, un homme doué d'un odorat prodigieux tue pour capturer l'odeur parfaite. | 2
Le Nom de la rose | Eco, Umberto | Grasset | 1982 | Moyen Âge -- Romans ; Monastères -- Romans | En 1327, dans une abbaye italienne, Guillaume de Baskerville enquête sur une série de morts étranges. | 2
Cent ans de solitude | García Márquez, Gabriel | Seuil | 1968 | Réalisme magique ; Colombie -- Romans | L'histoire de la famille Buendía et du village de Macondo sur sept générations. | 2
L'Alchimiste | Coelho, Paulo | Anne Carrière | 1994 | Quête (thème littéraire) ; Romans initiatiques | Un jeune berger andalou traverse le désert pour trouver un trésor et sa légende personnelle. | 2
Les hommes qui n'aimaient pas les femmes | Larsson, Stieg | Actes Sud | 2006 | Roman policier suédois ; Journalistes -- Romans | Le journaliste Mikael Blomkvist et la hackeuse Lisbeth Salander enquêtent sur une disparition vieille de quarante ans. | 3
La Fille du train | Hawkins, Paula | Sonatine | 2015 | Roman à suspense ; Alcoolisme -- Romans | Chaque jour, depuis son train, Rachel observe un couple ; un matin, elle voit quelque chose qui la bouleverse. | 2
Da Vinci code | Brown, Dan | JC Lattès | 2004 | Roman à suspense américain ; Léonard de Vinci (1452-1519) -- Romans | Un professeur de symbologie et une cryptologue déchiffrent des énigmes cachées dans les œuvres de Léonard de Vinci. | 2
Les Rivières pourpres | Grangé, Jean-Christophe | Albin Michel | 1998 | Roman policier français ; Alpes (France) -- Romans | Deux enquêtes parallèles dans les Alpes et dans le Lot se rejoignent autour d'une université isolée. | 2
Pars vite et reviens tard | Vargas, Fred | Viviane Hamy | 2001 | Roman policier français ; Peste -- Romans | Le commissaire Adamsberg enquête sur d'étranges signes peints sur des portes parisiennes, qui font ressurgir la peste. | 2
Sous les vents de Neptune | Vargas, Fred | Viviane Hamy | 2004 | Roman policier français ; Québec (Canada) -- Romans | En stage au Québec, Adamsberg se retrouve accusé d'un meurtre dont il ne garde aucun souvenir. | 1
Nymphéas noirs | Bussi, Michel | Presses de la Cité | 2011 | Roman policier français ; Giverny (Eure) -- Romans | À Giverny, un meurtre près de l'étang de Monet lie trois femmes d'âges différents. | 2
Un avion sans elle | Bussi, Michel | Presses de la Cité | 2012 | Roman policier français ; Catastrophes aériennes -- Romans | Seule survivante d'un accident d'avion en 1980, un bébé est revendiqué par deux familles. | 2
Glacé | Minier, Bernard | XO | 2011 | Roman policier français ; Pyrénées (France) -- Romans | Dans une vallée des Pyrénées, le cadavre d'un cheval décapité ouvre une enquête glaçante. | 2
Travail soigné | Lemaitre, Pierre | Le Masque | 2006 | Roman policier français | Le commandant Verhœven découvre qu'un tueur reproduit des crimes tirés de romans policiers. | 1
Les Âmes grises | Claudel, Philippe | Stock | 2003 | Guerre mondiale (1914-1918) -- Romans ; Roman policier | Dans une petite ville proche du front, en 1917, le meurtre d'une fillette reste sans coupable. | 2
Le Rapport de Brodeck | Claudel, Philippe | Stock | 2007 | Étrangers -- Romans ; Culpabilité collective -- Romans | Dans un village de l'Est, Brodeck doit rédiger le rapport sur la mort d'un étranger tué par les habitants. | 1
Et si c'était vrai... | Levy, Marc | Robert Laffont | 2000 | Amour -- Romans ; Roman fantastique | Un architecte découvre dans son placard une jeune femme dans le coma dont l'esprit erre hors de son corps. | 2
Kiffe kiffe demain | Guène, Faïza | Hachette Littératures | 2004 | Banlieues -- Romans ; Adolescentes -- Romans | Doria, quinze ans, raconte avec humour sa vie avec sa mère dans une cité de Livry-Gargan. | 2
Le Gone du Chaâba | Begag, Azouz | Seuil | 1986 | Immigrés algériens -- Romans ; Lyon (Rhône) -- Romans | L'enfance d'un fils d'immigrés algériens dans un bidonville lyonnais des années 1960. | 2
Le Ventre de l'Atlantique | Diome, Fatou | Anne Carrière | 2003 | Émigration et immigration -- Romans ; Sénégal -- Romans | Installée en France, Salie tente de dissuader son frère, resté au Sénégal, de rêver d'Europe. | 1
La Nuit sacrée | Ben Jelloun, Tahar | Seuil | 1987 | Maroc -- Romans ; Identité sexuelle -- Romans ; Prix Goncourt | Élevée comme un garçon, Zahra se libère enfin à la mort de son père. | 1
Texaco | Chamoiseau, Patrick | Gallimard | 1992 | Martinique -- Romans ; Prix Goncourt | L'histoire d'un quartier populaire de Fort-de-France, racontée par sa fondatrice. | 1
Une si longue lettre | Bâ, Mariama | Nouvelles éditions africaines | 1979 | Polygamie -- Romans ; Sénégal -- Romans | Devenue veuve, Ramatoulaye écrit à son amie et revient sur leur vie de femmes sénégalaises. | 1
Frère d'âme | Diop, David | Seuil | 2018 | Tirailleurs sénégalais -- Romans ; Guerre mondiale (1914-1918) -- Romans | Un tirailleur sénégalais sombre dans la folie après la mort de son ami d'enfance dans les tranchées. | 2
Le Lambeau | Lançon, Philippe | Gallimard | 2018 | Attentat contre Charlie Hebdo (2015) -- Récits ; Prix Femina | Blessé lors de l'attentat de Charlie Hebdo, un journaliste raconte sa longue reconstruction. | 2
Sa majesté des mouches | Golding, William | Gallimard | 1956 | Naufrages -- Romans ; Enfants -- Romans | Des enfants naufragés sur une île déserte basculent peu à peu dans la violence. | 2
Des souris et des hommes | Steinbeck, John | Gallimard | 1939 | Ouvriers agricoles -- Californie -- Romans ; Amitié -- Romans | Deux ouvriers agricoles errants rêvent d'une ferme à eux dans la Californie de la Grande Dépression. | 3
Les Raisins de la colère | Steinbeck, John | Gallimard | 1947 | Crise économique (1929) -- Romans ; Migrations -- Romans | Chassée de l'Oklahoma, la famille Joad prend la route de la Californie. | 1
Le Vieil Homme et la Mer | Hemingway, Ernest | Gallimard | 1952 | Pêcheurs -- Romans ; Cuba -- Romans | Un vieux pêcheur cubain livre un combat de plusieurs jours contre un espadon géant. | 2
L'Attrape-cœurs | Salinger, J. D. | Robert Laffont | 1953 | Adolescents -- Romans ; New York (N.Y.) -- Romans | Renvoyé de son lycée, Holden Caulfield erre trois jours dans New York. | 1
La Servante écarlate | Atwood, Margaret | Robert Laffont | 1987 | Dystopies ; Femmes -- Romans | Dans une théocratie totalitaire, les femmes fertiles sont réduites au rôle de reproductrices. | 3
Beloved | Morrison, Toni | Christian Bourgois | 1989 | Esclavage -- États-Unis -- Romans | Dans l'Ohio de l'après-guerre de Sécession, une ancienne esclave est hantée par le fantôme de sa fille. | 1
Americanah | Adichie, Chimamanda Ngozi | Gallimard | 2015 | Nigéria -- Romans ; Racisme -- États-Unis -- Romans | Ifemelu quitte le Nigéria pour les États-Unis, où elle découvre ce que signifie être noire. | 2
Le Cercle littéraire des amateurs d'épluchures de patates | Shaffer, Mary Ann / Barrows, Annie | NiL | 2009 | Guernesey (Royaume-Uni) -- Romans ; Roman épistolaire | En 1946, une écrivaine londonienne correspond avec les membres d'un club de lecture de Guernesey. | 2
La Vie devant soi | Ajar, Émile | Mercure de France | 1975 | Belleville (Paris) -- Romans ; Prix Goncourt | Momo, enfant arabe, veille sur Madame Rosa, vieille femme juive qui l'a élevé. | 2
La Promesse de l'aube | Gary, Romain | Gallimard | 1960 | Mères et fils -- Récits ; Autobiographie | Romain Gary raconte l'amour démesuré de sa mère, qui le voyait en héros et en écrivain. | 2
Les Racines du ciel | Gary, Romain | Gallimard | 1956 | Éléphants -- Protection -- Romans ; Afrique -- Romans ; Prix Goncourt | En Afrique équatoriale, Morel se bat pour sauver les éléphants des chasseurs. | 1
Vendredi ou les Limbes du Pacifique | Tournier, Michel | Gallimard | 1967 | Robinsonnades ; Solitude -- Romans | Une réécriture de Robinson Crusoé où l'arrivée de Vendredi bouleverse l'ordre de l'île. | 1
Désert | Le Clézio, J. M. G. | Gallimard | 1980 | Sahara -- Romans ; Émigration et immigration -- Romans | Lalla, descendante des nomades du désert, quitte le Maroc pour Marseille. | 1
Dans les forêts de Sibérie | Tesson, Sylvain | Gallimard | 2011 | Baïkal, Lac (Russie) -- Récits de voyages ; Solitude | Six mois de solitude dans une cabane au bord du lac Baïkal. | 2
La Panthère des neiges | Tesson, Sylvain | Gallimard | 2019 | Tibet (Chine) -- Récits de voyages ; Panthère des neiges ; Prix Renaudot | Avec le photographe Vincent Munier, l'auteur guette la panthère des neiges sur les hauts plateaux tibétains. | 3
Sur les chemins noirs | Tesson, Sylvain | Gallimard | 2016 | France -- Descriptions et voyages ; Randonnée | Après une grave chute, l'auteur traverse la France à pied par les chemins oubliés. | 1
Le Quatrième Mur | Chalandon, Sorj | Grasset | 2013 | Liban -- 1975-1990 (Guerre civile) -- Romans ; Théâtre -- Romans | Un metteur en scène veut monter Antigone à Beyrouth, en pleine guerre, avec des acteurs de chaque camp. | 1
Enfant de salaud | Chalandon, Sorj | Grasset | 2021 | Pères et fils -- Romans ; Barbie, Klaus (1913-1991) -- Procès | Pendant le procès Klaus Barbie, un journaliste découvre la vérité sur le passé de son père. | 1
En finir avec Eddy Bellegueule | Louis, Édouard | Seuil | 2014 | Homosexualité -- Romans ; Picardie (France) -- Romans | L'enfance d'un garçon jugé trop efféminé dans un village ouvrier de Picardie. | 1
Retour à Reims | Eribon, Didier | Fayard | 2009 | Classes sociales -- France ; Autobiographie | Le sociologue revient sur son milieu ouvrier d'origine et sur le vote de sa famille. | 1
La Vraie Vie | Dieudonné, Adeline | L'Iconoclaste | 2018 | Violence familiale -- Romans ; Adolescentes -- Romans | Une adolescente tente de sauver son petit frère d'un père violent. | 2
Le Soleil des Scorta | Gaudé, Laurent | Actes Sud | 2004 | Pouilles (Italie) -- Romans ; Saga familiale ; Prix Goncourt | Dans un village des Pouilles, l'histoire d'une famille sur plus d'un siècle. | 1
Eldorado | Gaudé, Laurent | Actes Sud | 2006 | Migrants -- Romans ; Méditerranée -- Romans | Un commandant de garde-côtes italien croise la route d'un migrant soudanais. | 1
L'Écume des jours | Vian, Boris | Gallimard | 1947 | Amour -- Romans ; Roman poétique | Colin épouse Chloé, qui tombe malade d'un nénuphar qui pousse dans son poumon. | 2
Belle du Seigneur | Cohen, Albert | Gallimard | 1968 | Passion amoureuse -- Romans ; Genève (Suisse) -- Romans | À Genève, la passion dévorante de Solal, haut fonctionnaire, et d'Ariane, femme mariée. | 1
Madame Bovary | Flaubert, Gustave | Michel Lévy frères | 1857 | Adultère -- Romans ; Normandie (France) -- Romans | Emma, épouse d'un médecin de campagne, s'étourdit de rêves romanesques et de dettes. | 2
Les Misérables | Hugo, Victor | A. Lacroix, Verboeckhoven et Cie | 1862 | Pauvreté -- Romans ; Paris (France) -- 19e siècle -- Romans | Jean Valjean, ancien forçat, tente de se racheter sous la traque obstinée de l'inspecteur Javert. | 2
Germinal | Zola, Émile | G. Charpentier | 1885 | Mineurs -- Romans ; Grèves -- Romans | Étienne Lantier arrive dans une cité minière du Nord et y mène une grève. | 2
Bel-Ami | Maupassant, Guy de | Victor Havard | 1885 | Journalistes -- Romans ; Paris (France) -- 19e siècle -- Romans | Georges Duroy gravit les échelons du journalisme parisien en séduisant des femmes influentes. | 1
Le Grand Meaulnes | Alain-Fournier | Émile-Paul | 1913 | Adolescence -- Romans ; Sologne (France) -- Romans | Augustin Meaulnes découvre un domaine mystérieux et cherche ensuite à le retrouver. | 1
Voyage au bout de la nuit | Céline, Louis-Ferdinand | Denoël et Steele | 1932 | Guerre mondiale (1914-1918) -- Romans ; Misanthropie -- Romans | De la guerre à l'Afrique coloniale et à la banlieue, l'errance désabusée de Ferdinand Bardamu. | 1
Bonjour tristesse | Sagan, Françoise | Julliard | 1954 | Adolescentes -- Romans ; Pères et filles -- Romans | Un été sur la Côte d'Azur, Cécile, dix-sept ans, manœuvre pour écarter la future épouse de son père. | 1
La Condition humaine | Malraux, André | Gallimard | 1933 | Chine -- 1927 -- Romans ; Révolutionnaires -- Romans ; Prix Goncourt | À Shanghai en 1927, des révolutionnaires préparent une insurrection. | 1
Mémoires d'Hadrien | Yourcenar, Marguerite | Plon | 1951 | Hadrien (76-138 ; empereur romain) -- Romans | L'empereur Hadrien, vieillissant, écrit à son successeur Marc Aurèle le bilan de sa vie. | 1
L'Amant | Duras, Marguerite | Éditions de Minuit | 1984 | Indochine -- Romans ; Prix Goncourt | Dans l'Indochine des années 1930, une adolescente française vit une liaison avec un riche Chinois. | 2
W ou le Souvenir d'enfance | Perec, Georges | Denoël | 1975 | Autobiographie ; Camps de concentration -- Romans | Deux récits alternés : les souvenirs d'enfance de l'auteur et la description d'une île vouée au sport. | 1
Zazie dans le métro | Queneau, Raymond | Gallimard | 1959 | Paris (France) -- Romans ; Humour | Une gamine de province en visite à Paris rêve de prendre le métro, en grève. | 1
Exercices de style | Queneau, Raymond | Gallimard | 1947 | Style littéraire ; Littérature expérimentale | Une anecdote banale d'autobus racontée de quatre-vingt-dix-neuf manières différentes. | 1
Le Hussard sur le toit | Giono, Jean | Gallimard | 1951 | Choléra -- Romans ; Provence (France) -- Romans | En 1832, un jeune colonel italien traverse la Provence ravagée par le choléra. | 1
La Vie mode d'emploi | Perec, Georges | Hachette | 1978 | Immeubles -- Romans ; Prix Médicis | Les vies des habitants d'un immeuble parisien, pièce après pièce. | 1
En attendant Godot | Beckett, Samuel | Éditions de Minuit | 1952 | Théâtre de l'absurde | Deux vagabonds attendent au bord d'une route un certain Godot qui ne vient jamais. | 1
Cyrano de Bergerac | Rostand, Edmond | Charpentier et Fasquelle | 1898 | Théâtre français -- 19e siècle | Le poète au long nez prête ses mots à un rival pour séduire sa cousine Roxane. | 2
La Nuit des temps | Barjavel, René | Presses de la Cité | 1968 | Science-fiction française ; Antarctique -- Romans | Sous la glace de l'Antarctique, une expédition découvre un couple endormi depuis 900 000 ans. | 2
Ravage | Barjavel, René | Denoël | 1943 | Science-fiction française ; Catastrophes -- Romans | En 2052, l'électricité disparaît soudain et la civilisation s'effondre. | 2
La Planète des singes | Boulle, Pierre | Julliard | 1963 | Science-fiction française ; Singes -- Romans | Un journaliste découvre une planète où les singes dominent des humains privés de parole. | 1
La Horde du contrevent | Damasio, Alain | La Volte | 2004 | Science-fiction française ; Vent -- Romans | Une horde de vingt-trois personnes remonte le vent jusqu'à sa source, à pied. | 2
Les Furtifs | Damasio, Alain | La Volte | 2019 | Science-fiction française ; Surveillance électronique -- Romans | Dans une France privatisée et surveillée, un père cherche sa fille disparue parmi d'insaisissables créatures. | 1
Le Problème à trois corps | Liu, Cixin | Actes Sud | 2016 | Science-fiction chinoise ; Extraterrestres -- Romans | Pendant la Révolution culturelle, un projet secret entre en contact avec une civilisation lointaine. | 2
Dune | Herbert, Frank / Demuth, Michel [730] | Robert Laffont | 1970 | Science-fiction américaine ; Déserts -- Romans | Sur la planète désertique Arrakis, le jeune Paul Atréides devient le chef d'une révolte. | 3
1984 | Orwell, George / Audiberti, Amélie [730] | Gallimard | 1950 | Totalitarisme -- Romans ; Dystopies | Sous l'œil de Big Brother, Winston Smith ose tenir un journal et aimer. | 3
Le Seigneur des anneaux | Tolkien, J. R. R. / Ledoux, Francis [730] | Christian Bourgois | 1972 | Fantasy ; Terre du Milieu (lieu imaginaire) | Frodon doit détruire l'Anneau unique avant que Sauron ne s'en empare. | 3
Les Fourmis | Werber, Bernard | Albin Michel | 1991 | Fourmis -- Romans ; Science-fiction française | Deux intrigues parallèles : une enquête humaine dans une cave et la vie d'une fourmilière. | 2
Un sac de billes | Joffo, Joseph | JC Lattès | 1973 | Juifs -- France -- 1940-1945 -- Récits ; Enfants -- Récits | Deux jeunes frères juifs traversent seuls la France occupée pour échapper aux rafles. | 3
La Gloire de mon père | Pagnol, Marcel | Pastorelly | 1957 | Provence (France) -- Récits ; Souvenirs d'enfance | L'enfance de Marcel à Marseille et les premières vacances dans les collines d'Aubagne. | 2
Le Château de ma mère | Pagnol, Marcel | Pastorelly | 1958 | Provence (France) -- Récits ; Souvenirs d'enfance | Les vacances dans les collines continuent, et les raccourcis secrets le long des propriétés privées. | 2
"""

ADULT_NONFICTION = """
Sapiens : une brève histoire de l'humanité | Harari, Yuval Noah | Albin Michel | 2015 | Civilisation -- Histoire ; Homme -- Origines | De l'apparition d'Homo sapiens à la révolution scientifique, une histoire de l'humanité en trois révolutions. | 3
Le Charme discret de l'intestin | Enders, Giulia | Actes Sud | 2015 | Intestins ; Digestion -- Ouvrages de vulgarisation | Une jeune médecin explique avec humour le fonctionnement du système digestif. | 2
La Vie secrète des arbres | Wohlleben, Peter | Les Arènes | 2017 | Arbres -- Physiologie ; Forêts | Un forestier allemand décrit comment les arbres communiquent et s'entraident. | 2
Une brève histoire du temps | Hawking, Stephen | Flammarion | 1989 | Cosmologie -- Ouvrages de vulgarisation ; Temps | Du big bang aux trous noirs, les grandes questions de la cosmologie expliquées sans équations. | 1
Indignez-vous ! | Hessel, Stéphane | Indigène | 2010 | Engagement politique ; Résistance (1939-1945) | Un ancien résistant appelle les jeunes générations à l'indignation et à l'engagement. | 1
Le Capital au XXIe siècle | Piketty, Thomas | Seuil | 2013 | Inégalités économiques ; Capital (économie) | Une histoire de la répartition des revenus et des patrimoines depuis le XVIIIe siècle. | 1
Devenir | Obama, Michelle | Fayard | 2018 | Obama, Michelle (1964-....) -- Autobiographie | L'ancienne première dame des États-Unis raconte son parcours, de Chicago à la Maison-Blanche. | 2
Petite Poucette | Serres, Michel | Le Pommier | 2012 | Technologie de l'information -- Aspect social ; Éducation | Le philosophe décrit la génération née avec le numérique et ce qu'elle change au savoir. | 1
Je sais cuisiner | Mathiot, Ginette | Albin Michel | 1932 | Cuisine française | Le grand classique de la cuisine familiale française, riche de plusieurs milliers de recettes. | 2
Le Deuxième Sexe | Beauvoir, Simone de | Gallimard | 1949 | Femmes -- Condition sociale ; Féminisme | Essai fondateur sur la construction sociale de la condition féminine. | 1
Les Mots | Sartre, Jean-Paul | Gallimard | 1964 | Sartre, Jean-Paul (1905-1980) -- Enfance ; Autobiographie | Sartre raconte son enfance et sa vocation d'écrivain, entre lecture et écriture. | 1
Le Journal d'Anne Frank | Frank, Anne | Calmann-Lévy | 1950 | Juifs -- Persécutions -- Pays-Bas ; Guerre mondiale (1939-1945) -- Récits personnels | Le journal tenu par une adolescente juive cachée à Amsterdam de 1942 à 1944. | 3
"""

CHILDREN = """
Le Petit Prince | Saint-Exupéry, Antoine de | Gallimard | 1946 | Conte philosophique ; Amitié -- Romans pour la jeunesse | Un aviateur tombé dans le désert rencontre un petit prince venu d'une autre planète. | 4
Le Petit Nicolas | Goscinny, René / Sempé, Jean-Jacques [440] | Denoël | 1960 | École -- Romans pour la jeunesse ; Humour | Les aventures d'un écolier et de sa bande de copains, racontées par lui-même. | 3
Les Récrés du petit Nicolas | Goscinny, René / Sempé, Jean-Jacques [440] | Denoël | 1961 | École -- Romans pour la jeunesse ; Humour | Nouvelles histoires de récréation, de bagarres et de bêtises avec Alceste, Rufus et Eudes. | 2
Harry Potter à l'école des sorciers | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 1998 | Sorciers -- Romans pour la jeunesse ; Fantasy | Le jour de ses onze ans, Harry apprend qu'il est sorcier et entre à l'école de Poudlard. | 4
Harry Potter et la Chambre des secrets | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 1999 | Sorciers -- Romans pour la jeunesse ; Fantasy | Pour sa deuxième année à Poudlard, Harry affronte une menace cachée dans le château. | 3
Harry Potter et le Prisonnier d'Azkaban | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 1999 | Sorciers -- Romans pour la jeunesse ; Fantasy | Un dangereux prisonnier s'est évadé et semble en vouloir à Harry. | 3
Harry Potter et la Coupe de feu | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 2000 | Sorciers -- Romans pour la jeunesse ; Fantasy | Harry est choisi, contre toute attente, pour participer au tournoi des Trois Sorciers. | 3
Harry Potter et l'Ordre du phénix | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 2003 | Sorciers -- Romans pour la jeunesse ; Fantasy | Alors que le ministère nie le retour de Voldemort, Harry et ses amis s'organisent en secret. | 2
Harry Potter et le Prince de sang-mêlé | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 2005 | Sorciers -- Romans pour la jeunesse ; Fantasy | Dumbledore révèle à Harry le passé de Voldemort pour préparer l'ultime combat. | 2
Harry Potter et les Reliques de la Mort | Rowling, J. K. / Ménard, Jean-François [730] | Gallimard Jeunesse | 2007 | Sorciers -- Romans pour la jeunesse ; Fantasy | Harry, Ron et Hermione quittent Poudlard pour détruire les Horcruxes. | 2
Matilda | Dahl, Roald / Blake, Quentin [440] | Gallimard | 1988 | Enfants surdoués -- Romans pour la jeunesse ; Humour | Une petite fille surdouée, négligée par ses parents, tient tête à une directrice tyrannique. | 3
Charlie et la chocolaterie | Dahl, Roald | Gallimard | 1967 | Chocolat -- Romans pour la jeunesse ; Humour | Charlie gagne l'un des cinq tickets d'or qui ouvrent la chocolaterie de Willy Wonka. | 3
Le Bon Gros Géant | Dahl, Roald / Blake, Quentin [440] | Gallimard | 1984 | Géants -- Romans pour la jeunesse ; Rêves | Sophie est enlevée par un géant végétarien qui souffle des rêves aux enfants endormis. | 2
Sacrées sorcières | Dahl, Roald / Blake, Quentin [440] | Gallimard | 1984 | Sorcières -- Romans pour la jeunesse | Un garçon et sa grand-mère déjouent le complot des sorcières d'Angleterre. | 2
Max et les Maximonstres | Sendak, Maurice | L'École des loisirs | 1973 | Albums ; Monstres -- Albums | Puni, Max s'embarque vers le pays des Maximonstres dont il devient le roi. | 2
Le Gruffalo | Donaldson, Julia / Scheffler, Axel [440] | Gallimard Jeunesse | 1999 | Albums ; Souris -- Albums | Une petite souris invente un monstre terrible pour éloigner les prédateurs de la forêt. | 3
Va-t'en, Grand Monstre Vert ! | Emberley, Ed | Kaléidoscope | 1996 | Albums ; Peur -- Albums | Page après page, un monstre apparaît puis disparaît : de quoi apprivoiser ses peurs. | 2
Roule galette | Caputo, Natha / Belvès, Pierre [440] | Flammarion | 1950 | Contes ; Albums du Père Castor | Une galette s'échappe de la maison et roule à travers la forêt jusqu'au renard. | 2
Les Trois Brigands | Ungerer, Tomi | L'École des loisirs | 1968 | Albums ; Brigands -- Albums | Trois terribles brigands changent de vie grâce à une petite orpheline. | 2
Petit-Bleu et Petit-Jaune | Lionni, Leo | L'École des loisirs | 1970 | Albums ; Couleurs -- Albums | Deux taches de couleur amies se serrent si fort qu'elles deviennent vertes. | 1
Loulou | Solotareff, Grégoire | L'École des loisirs | 1989 | Albums ; Loups -- Albums ; Amitié -- Albums | Un jeune loup et un lapin deviennent amis, jusqu'au jour où Loulou apprend à chasser. | 2
C'est moi le plus fort | Ramos, Mario | L'École des loisirs | 2001 | Albums ; Loups -- Albums ; Humour | Un loup vaniteux interroge les habitants de la forêt pour s'entendre dire qu'il est le plus fort. | 2
Ernest et Célestine ont perdu Siméon | Vincent, Gabrielle | Duculot | 1981 | Albums ; Ours -- Albums ; Souris -- Albums | Célestine a perdu son doudou ; Ernest, le gros ours, trouve une solution. | 2
Le Loup qui voulait changer de couleur | Lallemand, Orianne / Thuillier, Éléonore [440] | Auzou | 2009 | Albums ; Loups -- Albums ; Couleurs -- Albums | Chaque jour de la semaine, un loup mécontent de sa couleur en essaie une nouvelle. | 3
Chien Pourri ! | Gutman, Colas / Boutavant, Marc [440] | L'École des loisirs | 2013 | Chiens -- Romans pour la jeunesse ; Humour | Un chien naïf qui sent la sardine part à l'aventure avec son ami Chaplapla. | 2
La Guerre des boutons | Pergaud, Louis | Mercure de France | 1912 | Enfants -- Romans ; Rivalité -- Romans | Les garçons de deux villages rivaux se livrent une guerre où l'on arrache les boutons des vaincus. | 2
Le Lion | Kessel, Joseph | Gallimard | 1958 | Lions -- Romans ; Kenya -- Romans | Dans une réserve du Kenya, la fille du gardien entretient une amitié avec un lion. | 2
Vendredi ou la Vie sauvage | Tournier, Michel | Flammarion | 1971 | Robinsonnades ; Romans pour la jeunesse | Version pour la jeunesse du Robinson de Michel Tournier, où Vendredi enseigne la liberté. | 2
Oscar et la dame rose | Schmitt, Éric-Emmanuel | Albin Michel | 2002 | Enfants malades -- Romans ; Mort -- Romans | Un enfant atteint de leucémie écrit à Dieu, encouragé par une visiteuse de l'hôpital. | 2
Monsieur Ibrahim et les fleurs du Coran | Schmitt, Éric-Emmanuel | Albin Michel | 2001 | Amitié -- Romans ; Paris (France) -- Romans | Un garçon juif de la rue Bleue se lie avec l'épicier arabe du quartier. | 2
L'Enfant Océan | Mourlevat, Jean-Claude | Pocket Jeunesse | 1999 | Fugues -- Romans pour la jeunesse ; Frères -- Romans pour la jeunesse | Sept frères s'enfuient de chez eux, guidés par le plus petit, qui ne parle pas. | 2
Le Combat d'hiver | Mourlevat, Jean-Claude | Gallimard Jeunesse | 2006 | Totalitarisme -- Romans pour la jeunesse ; Fantasy | Quatre adolescents s'évadent de leurs internats-prisons et rejoignent la résistance. | 1
Les Fiancés de l'hiver | Dabos, Christelle | Gallimard Jeunesse | 2013 | Fantasy ; Romans pour la jeunesse | Ophélie, qui sait lire le passé des objets, est fiancée de force à un homme d'une arche lointaine. | 3
Tobie Lolness : la vie suspendue | Fombelle, Timothée de / Place, François [440] | Gallimard Jeunesse | 2006 | Arbres -- Romans pour la jeunesse ; Aventures | Tobie, un millimètre et demi, est traqué par tout le peuple de l'arbre où il vit. | 2
Vango : entre ciel et terre | Fombelle, Timothée de | Gallimard Jeunesse | 2010 | Aventures -- Romans pour la jeunesse ; Entre-deux-guerres -- Romans | Accusé à tort le jour de son ordination, Vango s'enfuit et cherche le secret de ses origines. | 1
Les Royaumes du Nord | Pullman, Philip | Gallimard Jeunesse | 1998 | Fantasy ; Mondes parallèles -- Romans pour la jeunesse | Lyra part vers le Grand Nord pour retrouver son ami enlevé par de mystérieux Enfourneurs. | 2
Hunger Games | Collins, Suzanne | Pocket Jeunesse | 2009 | Dystopies ; Téléréalité -- Romans pour la jeunesse | Katniss se porte volontaire pour des jeux télévisés où vingt-quatre adolescents doivent s'affronter. | 3
Nos étoiles contraires | Green, John | Nathan | 2013 | Cancer -- Romans pour la jeunesse ; Amour -- Romans pour la jeunesse | Deux adolescents atteints de cancer tombent amoureux et partent à Amsterdam. | 2
Wonder | Palacio, R. J. | Fleurus | 2013 | Différence -- Romans pour la jeunesse ; École -- Romans pour la jeunesse | Né avec une malformation du visage, Auggie entre pour la première fois au collège. | 3
Journal d'un dégonflé | Kinney, Jeff | Seuil Jeunesse | 2008 | Collèges -- Romans pour la jeunesse ; Humour | Greg tient le journal de sa première année de collège, entre ruses et catastrophes. | 3
100 jours en enfer | Muchamore, Robert | Casterman | 2007 | Espionnage -- Romans pour la jeunesse ; Orphelins -- Romans pour la jeunesse | Orphelin, James est recruté par Cherub, une agence d'espionnage qui n'emploie que des adolescents. | 2
Autobiographie d'une courgette | Paris, Gilles | Plon | 2002 | Foyers pour enfants -- Romans ; Orphelins -- Romans | Placé en foyer après la mort de sa mère, Icare, dit Courgette, se fait de nouveaux amis. | 1
Le Journal de Gurty : vacances en Provence | Santini, Bertrand | Sarbacane | 2013 | Chiens -- Romans pour la jeunesse ; Humour | Une chienne au caractère bien trempé raconte ses vacances en Provence. | 2
Les P'tites Poules | Jolibois, Christian / Heinrich, Christian [440] | Pocket Jeunesse | 2000 | Poules -- Romans pour la jeunesse ; Humour | Carmen, petite poule curieuse, rêve de voyages et de découvertes au poulailler. | 2
Le Buveur d'encre | Sanvoisin, Éric / Matje, Martin [440] | Nathan | 1996 | Vampires -- Romans pour la jeunesse ; Lecture -- Romans pour la jeunesse | Odilon surprend dans la librairie de son père un drôle de vampire qui boit les livres. | 2
Sans famille | Malot, Hector | Dentu | 1878 | Enfants abandonnés -- Romans ; Saltimbanques -- Romans | Enfant trouvé, Rémi est vendu à un musicien ambulant et parcourt la France. | 1
Les Malheurs de Sophie | Ségur, Sophie de | Hachette | 1858 | Enfants -- Romans ; Éducation -- Romans | Les bêtises d'une petite fille curieuse et désobéissante, et les leçons qu'elle en tire. | 1
Vingt mille lieues sous les mers | Verne, Jules | Hetzel | 1870 | Sous-marins -- Romans ; Aventures | Le professeur Aronnax est prisonnier du capitaine Nemo à bord du Nautilus. | 2
Le Tour du monde en quatre-vingts jours | Verne, Jules | Hetzel | 1873 | Voyages autour du monde -- Romans ; Aventures | Phileas Fogg parie qu'il fera le tour du monde en quatre-vingts jours. | 2
"""

COMICS = """
Astérix le Gaulois | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1961 | Bandes dessinées ; Gaule -- Bandes dessinées | Un petit village gaulois résiste encore et toujours à l'envahisseur romain grâce à une potion magique. | 3
Astérix et Cléopâtre | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1965 | Bandes dessinées ; Égypte -- Bandes dessinées | Astérix et Obélix aident l'architecte Numérobis à construire un palais pour Cléopâtre. | 3
Le Tour de Gaule d'Astérix | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1965 | Bandes dessinées ; Gaule -- Bandes dessinées | Pour défier les Romains, Astérix et Obélix font le tour de la Gaule et rapportent une spécialité de chaque région. | 2
Astérix chez les Bretons | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1966 | Bandes dessinées ; Grande-Bretagne -- Bandes dessinées | Astérix apporte un tonneau de potion magique à un village breton qui résiste à César. | 2
Astérix légionnaire | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1967 | Bandes dessinées ; Légion romaine -- Bandes dessinées | Pour retrouver le fiancé de la belle Falbala, Astérix et Obélix s'engagent dans la légion romaine. | 2
Astérix en Corse | Goscinny, René / Uderzo, Albert [440] | Dargaud | 1973 | Bandes dessinées ; Corse (France) -- Bandes dessinées | Les Gaulois raccompagnent un chef corse dans son île, entre siestes et vendettas. | 2
Le Lotus bleu | Hergé | Casterman | 1936 | Bandes dessinées ; Chine -- Bandes dessinées | En Chine, Tintin démantèle un trafic d'opium et se lie d'amitié avec Tchang. | 2
Objectif Lune | Hergé | Casterman | 1953 | Bandes dessinées ; Voyages dans l'espace -- Bandes dessinées | Le professeur Tournesol prépare en Syldavie la première fusée habitée vers la Lune. | 2
On a marché sur la Lune | Hergé | Casterman | 1954 | Bandes dessinées ; Lune -- Bandes dessinées | Tintin, Milou, Haddock et Tournesol posent le pied sur la Lune. | 2
Tintin au Tibet | Hergé | Casterman | 1960 | Bandes dessinées ; Tibet (Chine) -- Bandes dessinées | Convaincu que Tchang a survécu à un accident d'avion, Tintin part à sa recherche dans l'Himalaya. | 2
Les Bijoux de la Castafiore | Hergé | Casterman | 1963 | Bandes dessinées ; Humour | La Castafiore s'invite à Moulinsart, et ses bijoux disparaissent. | 1
Quelque part entre les ombres | Díaz Canales, Juan / Guarnido, Juanjo [440] | Dargaud | 2000 | Bandes dessinées ; Roman noir -- Bandes dessinées | Le détective Blacksad, un chat, enquête sur le meurtre d'une actrice qu'il a aimée. | 2
Persepolis. 1 | Satrapi, Marjane | L'Association | 2000 | Bandes dessinées autobiographiques ; Iran -- 1979 (Révolution) -- Bandes dessinées | L'enfance de Marjane à Téhéran, de la révolution islamique au début de la guerre Iran-Irak. | 3
Maus. 1, Mon père saigne l'histoire | Spiegelman, Art | Flammarion | 1987 | Holocauste -- Bandes dessinées ; Pères et fils -- Bandes dessinées | Le père de l'auteur raconte sa vie de Juif polonais pendant la guerre ; les Juifs y sont des souris. | 2
L'Arabe du futur. 1, Une jeunesse au Moyen-Orient (1978-1984) | Sattouf, Riad | Allary | 2014 | Bandes dessinées autobiographiques ; Syrie -- Bandes dessinées ; Libye -- Bandes dessinées | Riad Sattouf raconte son enfance entre la Libye, la Syrie et la Bretagne. | 3
Les Cahiers d'Esther. Histoires de mes 10 ans | Sattouf, Riad | Allary | 2016 | Bandes dessinées ; Enfants -- Bandes dessinées | Esther, dix ans, raconte sa vie d'écolière parisienne à l'auteur. | 2
Le Combat ordinaire | Larcenet, Manu | Dargaud | 2003 | Bandes dessinées ; Photographes -- Bandes dessinées | Marco, photographe de guerre anxieux, s'installe à la campagne et doute de tout. | 1
Ceux qui restent | Lupano, Wilfrid / Cauuet, Paul [440] | Dargaud | 2014 | Bandes dessinées ; Personnes âgées -- Bandes dessinées ; Humour | Trois septuagénaires amis d'enfance reprennent la route après un enterrement. | 3
Tout ça finira mal | Mr Tan / Miss Prickly [440] | Tourbillon | 2012 | Bandes dessinées pour la jeunesse ; Humour | Adèle, petite fille insolente et imaginative, terrorise ses parents et son chat. | 4
La Disparition | Vehlmann, Fabien / Gazzotti, Bruno [440] | Dupuis | 2006 | Bandes dessinées pour la jeunesse ; Enfants -- Bandes dessinées | Un matin, cinq enfants se réveillent dans une ville où tous les adultes ont disparu. | 3
Aya de Yopougon. 1 | Abouet, Marguerite / Oubrerie, Clément [440] | Gallimard | 2005 | Bandes dessinées ; Côte d'Ivoire -- Bandes dessinées | La vie d'Aya, dix-neuf ans, dans un quartier populaire d'Abidjan à la fin des années 1970. | 2
La Bar-Mitsva | Sfar, Joann | Dargaud | 2002 | Bandes dessinées ; Chats -- Bandes dessinées ; Judaïsme -- Bandes dessinées | À Alger, le chat d'un rabbin mange le perroquet et se met à parler. | 2
Le Jour du soleil noir | Van Hamme, Jean / Vance, William [440] | Dargaud | 1984 | Bandes dessinées ; Amnésie -- Bandes dessinées | Un homme amnésique blessé par balle découvre qu'il serait l'assassin du président des États-Unis. | 2
La Magicienne trahie | Van Hamme, Jean / Rosinski, Grzegorz [440] | Le Lombard | 1980 | Bandes dessinées ; Vikings -- Bandes dessinées | Les premières aventures de Thorgal, enfant des étoiles recueilli par les Vikings. | 2
Le Transperceneige | Lob, Jacques / Rochette, Jean-Marc [440] | Casterman | 1984 | Bandes dessinées ; Science-fiction -- Bandes dessinées | Dans un monde glacé, les derniers humains survivent dans un train qui ne s'arrête jamais. | 1
Culottées. 1 | Bagieu, Pénélope | Gallimard | 2016 | Bandes dessinées ; Femmes -- Biographies -- Bandes dessinées | Quinze portraits de femmes qui ont bravé les interdits de leur époque. | 3
Les Ignorants | Davodeau, Étienne | Futuropolis | 2011 | Bandes dessinées ; Vin -- Bandes dessinées | Un auteur de BD et un vigneron échangent leurs savoirs pendant un an. | 1
Un océan d'amour | Lupano, Wilfrid / Panaccione, Grégory [440] | Delcourt | 2014 | Bandes dessinées sans texte ; Pêcheurs -- Bandes dessinées | Un petit pêcheur breton est emporté au large ; sa femme part le chercher à travers l'océan. | 2
À l'aube d'une grande aventure | Oda, Eiichirō | Glénat | 2000 | Mangas ; Pirates -- Mangas | Luffy, garçon au corps élastique, prend la mer pour devenir le roi des pirates. | 4
Naruto. 1 | Kishimoto, Masashi | Kana | 2002 | Mangas ; Ninjas -- Mangas | Naruto, jeune ninja turbulent et rejeté de tous, rêve de devenir le chef de son village. | 3
Dragon Ball. 1 | Toriyama, Akira | Glénat | 1993 | Mangas ; Arts martiaux -- Mangas | Le jeune Son Goku part avec Bulma à la recherche des sept boules de cristal. | 3
L'Attaque des titans. 1 | Isayama, Hajime | Pika | 2013 | Mangas ; Géants -- Mangas | L'humanité survit derrière d'immenses murs, jusqu'au jour où un titan colossal les franchit. | 3
Death Note. 1 | Ōba, Tsugumi / Obata, Takeshi [440] | Kana | 2007 | Mangas ; Justice -- Mangas | Un lycéen trouve un cahier qui tue quiconque y voit son nom inscrit. | 2
My Hero Academia. 1 | Horikoshi, Kōhei | Ki-oon | 2016 | Mangas ; Super-héros -- Mangas | Dans un monde où presque tous ont un super-pouvoir, Izuku, qui n'en a pas, rêve d'être un héros. | 3
Demon Slayer. 1 | Gotōge, Koyoharu | Panini | 2019 | Mangas ; Démons -- Mangas | Tanjirō devient chasseur de démons pour rendre son humanité à sa sœur transformée. | 3
Spy x Family. 1 | Endō, Tatsuya | Kurokawa | 2020 | Mangas ; Espionnage -- Mangas ; Humour | Un espion forme une fausse famille avec une tueuse et une petite fille télépathe. | 3
Akira. 1 | Ōtomo, Katsuhiro | Glénat | 1990 | Mangas ; Science-fiction -- Mangas | Dans le Néo-Tokyo de 2019, un jeune motard développe des pouvoirs psychiques incontrôlables. | 1
Quartier lointain | Taniguchi, Jirō | Casterman | 2002 | Mangas ; Souvenirs d'enfance -- Mangas | Un homme de quarante-huit ans se réveille dans son corps d'adolescent, en 1963. | 2
Chi, une vie de chat. 1 | Kanata, Konami | Glénat | 2010 | Mangas pour la jeunesse ; Chats -- Mangas | Un chaton perdu est recueilli par une famille qui n'a pas le droit d'avoir d'animaux. | 3
Fullmetal Alchemist. 1 | Arakawa, Hiromu | Kurokawa | 2005 | Mangas ; Alchimie -- Mangas | Deux frères alchimistes cherchent la pierre philosophale pour retrouver leurs corps. | 2
Jujutsu Kaisen. 1 | Akutami, Gege | Ki-oon | 2020 | Mangas ; Fantômes -- Mangas | Un lycéen avale un doigt maudit et devient l'hôte d'un puissant démon. | 2
Yotsuba&!. 1 | Azuma, Kiyohiko | Kurokawa | 2007 | Mangas pour la jeunesse ; Humour | Une petite fille pleine d'énergie découvre le quotidien de son nouveau quartier. | 2
Nausicaä de la vallée du vent. 1 | Miyazaki, Hayao | Glénat | 2000 | Mangas ; Écologie -- Mangas | Dans un monde ravagé, une princesse tente de réconcilier les hommes et la nature. | 1
"""

MUSIC = """
Racine carrée | @Stromae | Mosaert | 2013 | Musique électronique ; Chanson francophone | Deuxième album de l'artiste belge, entre électro, rumba et textes graves. | 3
Cheese | @Stromae | Mosaert | 2010 | Musique électronique ; Chanson francophone | Premier album, porté par un tube dansant sur la fête et ses lendemains. | 1
Multitude | @Stromae | Mosaert | 2022 | Chanson francophone ; Musique électronique | Troisième album, nourri d'influences musicales du monde entier. | 2
Brol | @Angèle | Angèle VL Records | 2018 | Chanson francophone ; Pop | Premier album de la chanteuse belge, pop et ironique. | 2
Chaleur humaine | @Christine and the Queens | Because Music | 2014 | Pop ; Chanson francophone | Premier album, entre pop synthétique et chanson, en français et en anglais. | 2
La fête est finie | @Orelsan | 7th Magnitude | 2017 | Rap français | Troisième album du rappeur caennais, entre nostalgie et lucidité. | 2
L'École du micro d'argent | @IAM | Delabel | 1997 | Rap français ; Marseille (Bouches-du-Rhône) | Album phare du rap marseillais, sombre et ambitieux. | 1
Random Access Memories | @Daft Punk | Columbia | 2013 | Musique électronique ; Disco | Le duo français rend hommage à la musique disco et funk avec des musiciens de studio. | 2
Homework | @Daft Punk | Virgin | 1997 | Musique électronique ; House music | Premier album du duo, pièce fondatrice de la « French touch ». | 1
Moon Safari | @Air | Source | 1998 | Musique électronique | Album planant du duo versaillais, entre synthétiseurs vintage et pop. | 1
Fantaisie militaire | Bashung, Alain | Barclay | 1998 | Rock français ; Chanson française | Album sombre et raffiné, souvent cité parmi les grands disques de la chanson française. | 1
L'Homme à tête de chou | Gainsbourg, Serge | Philips | 1976 | Chanson française | Album-concept sur un homme rongé par la jalousie. | 1
Histoire de Melody Nelson | Gainsbourg, Serge | Philips | 1971 | Chanson française | Album-concept autour d'une rencontre avec une jeune fille rousse. | 1
Le Fil | @Camille | Virgin | 2005 | Chanson française ; Musique vocale | Album tissé autour d'une seule note tenue, jeu de voix et de percussions corporelles. | 1
Zaz | @Zaz | Play On | 2010 | Chanson française ; Jazz manouche | Premier album de la chanteuse, avec un grand succès populaire. | 2
Vianney | @Vianney | Tôt ou tard | 2016 | Chanson française | Deuxième album du chanteur, guitare-voix et mélodies simples. | 2
Vivaldi, Les Quatre Saisons | @Il Giardino Armonico | Teldec | 1994 | Musique baroque ; Concertos (violon) | Une lecture vive et contrastée des célèbres concertos de Vivaldi. | 1
Kind of Blue | Davis, Miles | Columbia | 1959 | Jazz modal | Le disque de jazz le plus vendu, improvisé sur des modes plutôt que des accords. | 1
A Love Supreme | Coltrane, John | Impulse! | 1965 | Jazz | Suite en quatre parties, méditation spirituelle du saxophoniste. | 1
Back to Black | Winehouse, Amy | Island | 2006 | Soul (musique) ; Pop | Deuxième album de la chanteuse britannique, hommage aux groupes féminins des années 1960. | 2
Abbey Road | @The Beatles | Apple | 1969 | Rock ; Pop | Dernier album enregistré par les Beatles, avec son célèbre passage piéton. | 1
Rumours | @Fleetwood Mac | Warner Bros. | 1977 | Rock | Album écrit au milieu des ruptures amoureuses des membres du groupe. | 1
The Dark Side of the Moon | @Pink Floyd | Harvest | 1973 | Rock progressif | Album-concept sur le temps, l'argent et la folie. | 1
Thriller | Jackson, Michael | Epic | 1982 | Pop ; Funk | L'album le plus vendu de l'histoire de la musique. | 1
Nevermind | @Nirvana | DGC | 1991 | Grunge (musique) ; Rock | Deuxième album du groupe de Seattle, qui a popularisé le grunge. | 1
OK Computer | @Radiohead | Parlophone | 1997 | Rock | Album sur l'aliénation dans un monde technologique. | 1
Clandestino | Chao, Manu | Virgin | 1998 | Musiques du monde ; Chanson | Premier album solo, chanté en plusieurs langues sur les exilés et les frontières. | 1
The No Comprendo | @Les Rita Mitsouko | Virgin | 1986 | Rock français ; Pop | Deuxième album du duo, énergique et inventif. | 1
Miss Perfumado | Évora, Cesária | Lusafrica | 1992 | Morna (musique) ; Cap-Vert | L'album qui a fait connaître la « diva aux pieds nus » du Cap-Vert. | 1
Buena Vista Social Club | @Buena Vista Social Club | World Circuit | 1997 | Musique cubaine ; Son (musique) | Des musiciens cubains vétérans réunis autour de Ry Cooder à La Havane. | 1
Dimanche à Bamako | @Amadou et Mariam | Because Music | 2004 | Musiques du monde ; Mali | Le couple malien, produit par Manu Chao, chante la vie quotidienne à Bamako. | 1
21 | @Adele | XL Recordings | 2011 | Pop ; Soul (musique) | Deuxième album de la chanteuse britannique, écrit après une rupture. | 2
"""

VIDEO = """
Le Fabuleux Destin d'Amélie Poulain | Jeunet, Jean-Pierre | UGC | 2001 | Films de fiction ; Montmartre (Paris) -- Films | À Montmartre, une jeune serveuse timide décide de faire le bonheur des autres en secret. | 3
Intouchables | Nakache, Olivier / Toledano, Éric | Gaumont | 2011 | Films de fiction ; Tétraplégiques -- Films ; Amitié -- Films | Un riche tétraplégique engage comme auxiliaire de vie un jeune de banlieue sans expérience. | 3
Bienvenue chez les Ch'tis | Boon, Dany | Pathé | 2008 | Films comiques ; Nord (France) -- Films | Un directeur de poste provençal est muté, à son grand désespoir, dans le Nord. | 2
Les Choristes | Barratier, Christophe | Pathé | 2004 | Films de fiction ; Chorales -- Films | En 1949, un surveillant d'internat transforme des enfants difficiles grâce au chant choral. | 2
Le Dîner de cons | Veber, Francis | Gaumont | 1998 | Films comiques | Un éditeur invite à un dîner un homme qu'il croit ridicule, et le paie cher. | 1
La Grande Vadrouille | Oury, Gérard | Les Films Corona | 1966 | Films comiques ; Guerre mondiale (1939-1945) -- Films | Un peintre et un chef d'orchestre aident des aviateurs anglais à rejoindre la zone libre. | 2
Les Visiteurs | Poiré, Jean-Marie | Gaumont | 1993 | Films comiques ; Voyages dans le temps -- Films | Un chevalier du XIIe siècle et son écuyer sont projetés dans la France des années 1990. | 2
Astérix et Obélix : Mission Cléopâtre | Chabat, Alain | Pathé | 2002 | Films comiques ; Égypte -- Films | Adaptation de la bande dessinée : un palais à construire en trois mois pour Cléopâtre. | 2
The Artist | Hazanavicius, Michel | Warner Bros. | 2011 | Films muets ; Cinéma -- Hollywood -- Films | En 1927, une star du muet voit sa carrière sombrer avec l'arrivée du parlant. | 1
Le Voyage de Chihiro | Miyazaki, Hayao | Studio Ghibli | 2001 | Films d'animation ; Esprits -- Films | Une fillette se retrouve prisonnière d'un monde d'esprits et doit sauver ses parents. | 3
Mon voisin Totoro | Miyazaki, Hayao | Studio Ghibli | 1988 | Films d'animation pour la jeunesse ; Campagne -- Japon -- Films | Deux sœurs installées à la campagne rencontrent un grand esprit de la forêt. | 3
Kirikou et la Sorcière | Ocelot, Michel | Les Armateurs | 1998 | Films d'animation pour la jeunesse ; Afrique de l'Ouest -- Films | Un tout petit garçon affronte la sorcière Karaba qui a asséché la source de son village. | 3
Ma vie de Courgette | Barras, Claude | Rita Productions | 2016 | Films d'animation ; Foyers pour enfants -- Films | Adapté du roman de Gilles Paris : la vie d'un garçon placé en foyer. | 2
Les Triplettes de Belleville | Chomet, Sylvain | Les Armateurs | 2003 | Films d'animation ; Cyclisme -- Films | Une grand-mère et son chien partent à la recherche de son petit-fils, cycliste enlevé pendant le Tour de France. | 1
Persepolis | Satrapi, Marjane / Paronnaud, Vincent | 2.4.7. Films | 2007 | Films d'animation ; Iran -- Films | Adaptation par l'autrice de sa bande dessinée autobiographique. | 1
Microcosmos : le peuple de l'herbe | Nuridsany, Claude / Pérennou, Marie | Galatée Films | 1996 | Films documentaires ; Insectes -- Films | Une plongée au ras du sol dans la vie des insectes d'une prairie. | 1
La Marche de l'empereur | Jacquet, Luc | Bonne Pioche | 2005 | Films documentaires ; Manchot empereur -- Films | Le long voyage des manchots empereurs pour se reproduire en Antarctique. | 2
Être et avoir | Philibert, Nicolas | Les Films d'ici | 2002 | Films documentaires ; Classes uniques -- Films | Une année dans une classe unique d'un village d'Auvergne. | 1
Le Grand Bleu | Besson, Luc | Gaumont | 1988 | Films de fiction ; Plongée libre -- Films | L'amitié et la rivalité de deux champions de plongée en apnée. | 1
Entre les murs | Cantet, Laurent | Haut et Court | 2008 | Films de fiction ; Collèges -- Films | Une année scolaire dans une classe de quatrième d'un collège parisien. | 1
Des hommes et des dieux | Beauvois, Xavier | Why Not Productions | 2010 | Films de fiction ; Moines -- Algérie -- Films | Des moines de Tibhirine choisissent de rester malgré la menace terroriste. | 1
Toy Story | Lasseter, John | Pixar | 1995 | Films d'animation pour la jeunesse ; Jouets -- Films | Les jouets d'un petit garçon prennent vie dès qu'il a le dos tourné. | 2
Le Roi lion | Allers, Roger / Minkoff, Rob | Walt Disney Pictures | 1994 | Films d'animation pour la jeunesse ; Lions -- Films | Le jeune lion Simba doit reprendre le royaume usurpé par son oncle Scar. | 3
WALL-E | Stanton, Andrew | Pixar | 2008 | Films d'animation pour la jeunesse ; Robots -- Films | Un petit robot chargé de nettoyer la Terre abandonnée tombe amoureux d'une sonde. | 2
Paddington | King, Paul | StudioCanal | 2014 | Films pour la jeunesse ; Ours -- Films | Un ourson venu du Pérou cherche une famille à Londres. | 2
"""

GAMES = """
The Legend of Zelda : Breath of the Wild | @Nintendo | Nintendo | 2017 | Jeux vidéo d'aventure ; Nintendo Switch | Link se réveille d'un long sommeil et explore librement un royaume d'Hyrule en ruines. | 2
Super Mario Odyssey | @Nintendo | Nintendo | 2017 | Jeux de plates-formes ; Nintendo Switch | Mario parcourt des royaumes variés à bord de l'Odyssée pour sauver la princesse Peach. | 2
Mario Kart 8 Deluxe | @Nintendo | Nintendo | 2017 | Jeux vidéo de course ; Nintendo Switch ; Jeux multijoueurs | Courses de karts pour jouer à plusieurs, sur place ou en ligne. | 3
Animal Crossing : New Horizons | @Nintendo | Nintendo | 2020 | Jeux de simulation ; Nintendo Switch | Le joueur aménage à son rythme une île déserte et la peuple de voisins animaux. | 2
Splatoon 3 | @Nintendo | Nintendo | 2022 | Jeux de tir ; Nintendo Switch ; Jeux multijoueurs | Des équipes s'affrontent à coups d'encre pour recouvrir le terrain de leur couleur. | 1
Pokémon Écarlate | @Game Freak | Nintendo | 2022 | Jeux de rôle ; Nintendo Switch | Le joueur explore la région de Paldea pour capturer et entraîner des Pokémon. | 2
Minecraft | @Mojang | Mojang | 2011 | Jeux de construction ; Jeux multijoueurs | Un monde en blocs où l'on construit, explore et survit, seul ou à plusieurs. | 2
Rayman Legends | @Ubisoft Montpellier | Ubisoft | 2013 | Jeux de plates-formes ; Jeux multijoueurs | Rayman et ses amis traversent des mondes colorés, dont des niveaux rythmés par la musique. | 1
Overcooked! 2 | @Ghost Town Games | Team17 | 2018 | Jeux coopératifs ; Cuisine -- Jeux vidéo | Jusqu'à quatre joueurs coopèrent dans des cuisines de plus en plus chaotiques. | 2
Celeste | @Maddy Makes Games | Maddy Makes Games | 2018 | Jeux de plates-formes ; Anxiété -- Jeux vidéo | Madeline gravit une montagne et affronte ses angoisses. | 1
Stardew Valley | @ConcernedApe | ConcernedApe | 2016 | Jeux de simulation ; Agriculture -- Jeux vidéo | Le joueur hérite d'une ferme et s'installe dans un village de campagne. | 1
Kirby et le monde oublié | @HAL Laboratory | Nintendo | 2022 | Jeux de plates-formes ; Nintendo Switch | Kirby explore un monde abandonné en trois dimensions pour sauver les Waddle Dee. | 2
Super Smash Bros. Ultimate | @Nintendo | Nintendo | 2018 | Jeux de combat ; Nintendo Switch ; Jeux multijoueurs | Les personnages de nombreuses séries s'affrontent dans des combats à plusieurs. | 2
Luigi's Mansion 3 | @Next Level Games | Nintendo | 2019 | Jeux d'aventure ; Fantômes -- Jeux vidéo | Luigi explore un hôtel hanté pour délivrer ses amis capturés. | 1
Astro Bot | @Team Asobi | Sony Interactive Entertainment | 2024 | Jeux de plates-formes ; PlayStation 5 | Un petit robot parcourt des planètes pour retrouver l'équipage de son vaisseau. | 1
Just Dance 2024 Edition | @Ubisoft | Ubisoft | 2023 | Jeux de danse ; Jeux multijoueurs | Des chorégraphies sur des titres récents, à reproduire devant l'écran. | 2
"""

PERIODICALS = """
J'aime lire | @Bayard Presse | Bayard Presse | 1977 | Périodiques pour la jeunesse ; Lecture | Magazine mensuel de lecture pour les enfants qui apprennent à lire seuls. | 4
Okapi | @Bayard Presse | Bayard Presse | 1971 | Périodiques pour la jeunesse ; Actualité | Magazine d'actualité et de découverte pour les préadolescents. | 3
Astrapi | @Bayard Presse | Bayard Presse | 1978 | Périodiques pour la jeunesse | Magazine de jeux, d'histoires et de découvertes pour les 7-11 ans. | 3
Pomme d'Api | @Bayard Presse | Bayard Presse | 1966 | Périodiques pour la jeunesse ; Premières lectures | Magazine d'éveil pour les 3-7 ans. | 3
Phosphore | @Bayard Presse | Bayard Presse | 1981 | Périodiques pour adolescents | Magazine pour les lycéens : orientation, société, culture. | 2
Géo | @Prisma Presse | Prisma Presse | 1979 | Géographie -- Périodiques ; Voyages -- Périodiques | Magazine mensuel de reportages géographiques et de voyages. | 3
Télérama | @Télérama | Télérama | 1960 | Culture -- Périodiques ; Télévision -- Périodiques | Hebdomadaire culturel : programmes de télévision, cinéma, livres et musique. | 3
Le Monde diplomatique | @Le Monde diplomatique | Le Monde diplomatique | 1954 | Relations internationales -- Périodiques | Mensuel d'analyse de l'actualité internationale. | 2
Science & Vie Junior | @Excelsior publications | Excelsior publications | 1989 | Sciences -- Périodiques pour la jeunesse | Magazine scientifique mensuel pour les adolescents. | 2
Cahiers du cinéma | @Cahiers du cinéma | Cahiers du cinéma | 1951 | Cinéma -- Périodiques | Revue mensuelle de critique cinématographique. | 1
Lire | @Lire | Lire | 1975 | Littérature -- Périodiques ; Livres -- Comptes rendus | Magazine mensuel consacré aux livres et aux écrivains. | 2
"""

CATEGORIES = [
    Category("roman", "am", "LIV", "a", "m", "R", "Adultes - romans", "070", "1 vol.", ADULT_FICTION),
    Category("documentaire", "am", "LIV", "a", "m", "D", "Adultes - documentaires", "070", "1 vol.", ADULT_NONFICTION),
    Category("jeunesse", "am", "LJ", "j", "c", "J", "Jeunesse", "070", "1 vol.", CHILDREN),
    Category("bd", "am", "BD", "j", "a", "BD", "Bandes dessinées", "070", "1 vol.", COMICS),
    Category("musique", "jm", "CD", "a", "m", "CD", "Musique", "590", "1 disque compact", MUSIC),
    Category("video", "gm", "DVD", "a", "m", "DVD", "Vidéo", "300", "1 DVD vidéo", VIDEO),
    Category("jeu", "lm", "JV", "a", "m", "JV", "Jeux vidéo", "", "1 jeu vidéo", GAMES),
    Category("periodique", "as", "REV", "a", "m", "PER", "Périodiques", "", "Périodique", PERIODICALS),
]

# Audience: subjects "… pour la jeunesse" and "Albums" mean children, "Mangas" teenagers;
# these titles are for teenagers too.
YOUNG_ADULT_TITLES = {
    "Hunger Games",
    "Nos étoiles contraires",
    "100 jours en enfer",
    "Phosphore",
    "Science & Vie Junior",
    "Okapi",
    "No et moi",
}

# Language (101$a) of the records that are not in French.
LANGUAGES = {
    "Random Access Memories": "eng",
    "Back to Black": "eng",
    "Abbey Road": "eng",
    "Rumours": "eng",
    "The Dark Side of the Moon": "eng",
    "Thriller": "eng",
    "Nevermind": "eng",
    "OK Computer": "eng",
    "21": "eng",
    "Kind of Blue": "zxx",
    "A Love Supreme": "zxx",
    "Vivaldi, Les Quatre Saisons": "zxx",
    "Homework": "zxx",
    "Moon Safari": "zxx",
    "Clandestino": "mul",
    "Dimanche à Bamako": "mul",
    "Buena Vista Social Club": "spa",
    "Miss Perfumado": "por",
}
