<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
  <context>
    <name>TerraEmbed</name>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Embedding rasters: a grid of 'Compute embeddings', AlphaEarth embeddings from 'Fetch AlphaEarth embeddings', or Google's int8 AlphaEarth files (a COG of gs://alphaearth_foundations or a VRT of them: 64 signed 8-bit bands A00..A63, nodata -128), de-quantised on reading as sign(v) x (v / 127.5)^2 with -128 as nodata (AlphaEarth: %s, "%s"). Another int8 raster is read as it is; the log says which.</source>
      <translation>Rasters d'embeddings : une grille de 'Calculer les embeddings', des embeddings AlphaEarth de 'Récupérer les embeddings AlphaEarth', ou les fichiers int8 AlphaEarth de Google (un COG de gs://alphaearth_foundations ou un VRT de ceux-ci : 64 bandes signées sur 8 bits A00..A63, nodata -128), dé-quantifiés à la lecture selon sign(v) x (v / 127.5)^2 avec -128 comme nodata (AlphaEarth : %s, "%s"). Un autre raster int8 est lu tel quel ; le journal indique lequel.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Raster outputs are Cloud Optimized GeoTIFFs (tiled, DEFLATE, with overviews), so QGIS and web viewers draw them zoomed out without reading every cell. The overviews average values (similarity, distances, probabilities, uncertainty, components); class rasters and masks keep the most frequent class, so they show only their classes; 'Change over time' keeps one cell's values, so its break stays a period number.</source>
      <translation>Les rasters produits sont des Cloud Optimized GeoTIFF (en tuiles, DEFLATE, avec des aperçus), si bien que QGIS et les visualiseurs web les affichent en vue d'ensemble sans lire chaque cellule. Les aperçus font la moyenne des valeurs (similarité, distances, probabilités, incertitude, composantes) ; les rasters de classes et les masques gardent la classe la plus fréquente et ne montrent donc que leurs classes ; « Changement dans le temps » garde les valeurs d'une cellule, si bien que sa rupture reste un numéro de période.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Analysis</source>
      <translation>Analyse</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Random seed (results are reproducible for one seed)</source>
      <translation>Graine aléatoire (résultats reproductibles pour une même graine)</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Field marking negative examples (optional): features whose value is below 0 are negative examples</source>
      <translation>Champ marquant les exemples négatifs (facultatif) : les entités dont la valeur est inférieure à 0 sont des exemples négatifs</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Choose the labelled features.</source>
      <translation>Choisissez les entités étiquetées.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>The field %r is not in the labelled layer.</source>
      <translation>Le champ %r n'existe pas dans la couche étiquetée.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>The field %r (SIGN_FIELD) is not in the layer; choose one of its numeric fields or none.</source>
      <translation>Le champ %r (SIGN_FIELD) n'existe pas dans la couche ; choisissez l'un de ses champs numériques, ou aucun.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <location filename="../engine/analysis/blocks.py" />
      <location filename="../engine/analysis/run.py" />
      <source>embedding raster</source>
      <translation>raster d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>Choose the %s.</source>
      <translation>Choisissez le %s.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <source>The %s '%s' is not a local file that the runtime can read. Save it as a GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>Le %s '%s' n'est pas un fichier local que le runtime peut lire. Enregistrez-le d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/analysis_base.py" />
      <location filename="../algorithms/embed_features.py" />
      <location filename="../algorithms/inputs.py" />
      <location filename="../algorithms/outputs.py" />
      <source>Cancelled: nothing was written.</source>
      <translation>Annulé : rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../algorithms/aoi_params.py" />
      <source>Area of interest (empty = the whole raster)</source>
      <translation>Zone d'intérêt (vide = tout le raster)</translation>
    </message>
    <message>
      <location filename="../algorithms/aoi_params.py" />
      <source>Area of interest polygons (optional: overrides the extent; pixels outside are ignored)</source>
      <translation>Polygones de la zone d'intérêt (facultatif : remplace l'emprise ; les pixels à l'extérieur sont ignorés)</translation>
    </message>
    <message>
      <location filename="../algorithms/aoi_params.py" />
      <source>The area-of-interest layer has no polygon (or none selected). Choose polygons, or leave the option empty to use the extent.</source>
      <translation>La couche de zone d'intérêt n'a aucun polygone (ou aucun n'est sélectionné). Choisissez des polygones, ou laissez l'option vide pour utiliser l'emprise.</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Apply classifier</source>
      <translation>Appliquer un classifieur</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <source>Maps another embedding raster of the same model (another date or another area) with a classifier saved by 'Few-shot classification' ('Save the classifier'), block by block. Outputs: a class raster (the classifier's classes, codes 1..n in its order, 0 = nodata, palette, class names in the metadata), optionally the class probabilities (one band per class) and the uncertainty (band 1: 1 - the largest probability; band 2: the margin between the two best classes). A raster of another model, modality or number of dimensions than the classifier's training raster is refused with the reason, as is a file that is not a TerraEmbed classifier or was edited after it was saved (its SHA-256 does not match). Where the raster carries no TerraEmbed model tag the model cannot be checked: the log says so.</source>
      <translation>Cartographie un autre raster d'embeddings du même modèle (une autre date ou une autre zone) avec un classifieur enregistré par 'Classification few-shot' ('Enregistrer le classifieur'), bloc par bloc. Sorties : un raster de classes (les classes du classifieur, codes 1..n dans son ordre, 0 = nodata, palette, noms des classes dans les métadonnées), en option les probabilités des classes (une bande par classe) et l'incertitude (bande 1 : 1 - la plus grande probabilité ; bande 2 : l'écart entre les deux meilleures classes). Un raster d'un autre modèle, d'une autre modalité ou d'un autre nombre de dimensions que le raster d'entraînement du classifieur est refusé avec la raison, de même qu'un fichier qui n'est pas un classifieur TerraEmbed ou qui a été modifié après son enregistrement (son SHA-256 ne correspond pas). Quand le raster ne porte pas d'étiquette de modèle TerraEmbed, le modèle ne peut pas être vérifié : le journal le signale.</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <source>what the classifier was fitted on (raster, model, dimensions, cell size, training cells, the accuracy it had) beside this raster's embeddings, and the cells predicted per class as a chart and a table.</source>
      <translation>ce sur quoi le classifieur a été ajusté (raster, modèle, dimensions, taille de cellule, cellules d'entraînement, l'exactitude obtenue) à côté des embeddings de ce raster, et les cellules prédites par classe sous forme de graphique et de tableau.</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <location filename="../algorithms/cluster.py" />
      <location filename="../algorithms/pca.py" />
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Embedding raster</source>
      <translation>Raster d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <source>Classifier (saved by Few-shot classification)</source>
      <translation>Classifieur (enregistré par Classification few-shot)</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/compare.py" />
      <source>Classes</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Class probabilities</source>
      <translation>Probabilités des classes</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <source>Uncertainty (1 - largest probability, margin)</source>
      <translation>Incertitude (1 - plus grande probabilité, écart)</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <source>Classes (comma-separated, in code order)</source>
      <translation>Classes (séparées par des virgules, dans l'ordre des codes)</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <source>class raster</source>
      <translation>raster de classes</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <source>probability raster</source>
      <translation>raster de probabilités</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <location filename="../algorithms/classify.py" />
      <source>uncertainty raster</source>
      <translation>raster d'incertitude</translation>
    </message>
    <message>
      <location filename="../algorithms/apply_classifier.py" />
      <source>Predicted cells: %s</source>
      <translation>Cellules prédites : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Reading imagery</source>
      <translation>Lecture de l'imagerie</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Computing embeddings</source>
      <translation>Calcul des embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Computing the PCA</source>
      <translation>Calcul de l'ACP</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Writing outputs</source>
      <translation>Écriture des sorties</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Loading model weights</source>
      <translation>Chargement des poids du modèle</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Fitting the model</source>
      <translation>Ajustement du modèle</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Comparing the two dates</source>
      <translation>Comparaison des deux dates</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Comparing the periods</source>
      <translation>Comparaison des périodes</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Tracing polygons</source>
      <translation>Tracé des polygones</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Done</source>
      <translation>Terminé</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Checking the runtime's packages</source>
      <translation>Vérification des paquets du runtime</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Checking torch and the devices</source>
      <translation>Vérification de torch et des périphériques</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Comparing the runtime with its lock</source>
      <translation>Comparaison du runtime avec son verrou</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Cross-validating</source>
      <translation>Validation croisée</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Choosing k</source>
      <translation>Choix de k</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Fitting the PCA</source>
      <translation>Ajustement de l'ACP</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Loading the embeddings</source>
      <translation>Chargement des embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>%s

Report (optional, HTML): %s Charts are inline, so the file opens anywhere without a network; the Results Viewer lists it.</source>
      <translation>%s

Rapport (facultatif, HTML) : %s Les graphiques sont intégrés, le fichier s'ouvre donc partout sans réseau ; la visionneuse de résultats le liste.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>Report (HTML)</source>
      <translation>Rapport (HTML)</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>HTML files (*.html)</source>
      <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" />
      <source>HTML report</source>
      <translation>rapport HTML</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Build a series</source>
      <translation>Construire une série</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <location filename="../algorithms/embed.py" />
      <location filename="../algorithms/embed_features.py" />
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Embeddings</source>
      <translation>Embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Makes a series of embedding rasters of the same model that you already have (e.g. one per year): a series file &lt;name&gt;.vrt that QGIS opens, with every period's bands in order, and that lists the periods with their dates, as Compute embeddings writes it for periods. Give the rasters in time order and one period per raster (%s), or leave the periods empty to take each raster's own Earth Engine dates. Rasters not on the first one's grid (CRS, transform or size) are resampled onto it as &lt;name&gt;_&lt;label&gt;.tif: averaged when their cells are smaller than the grid's (each cell the mean of the finer cells it covers, NaN cells left out), else nearest neighbour; the log says which and how. Rasters of another model or number of dimensions are refused by name; for two rasters only, compare them with Change between dates. The series refers to the rasters by their place relative to it: move them together.</source>
      <translation>Construit une série à partir de rasters d'embeddings du même modèle que vous avez déjà (par exemple un par année) : un fichier de série &lt;nom&gt;.vrt que QGIS ouvre, avec les bandes de chaque période dans l'ordre, et qui liste les périodes avec leurs dates, comme 'Calculer les embeddings' l'écrit pour des périodes. Donnez les rasters dans l'ordre chronologique et une période par raster (%s), ou laissez les périodes vides pour prendre les dates Earth Engine propres à chaque raster. Les rasters qui ne sont pas sur la grille du premier (SCR, transformation ou taille) y sont rééchantillonnés sous le nom &lt;nom&gt;_&lt;libellé&gt;.tif : par moyenne quand leurs cellules sont plus petites que celles de la grille (chaque cellule la moyenne des cellules plus fines qu'elle couvre, cellules NaN exclues), sinon au plus proche voisin ; le journal indique lesquels et comment. Les rasters d'un autre modèle ou d'un autre nombre de dimensions sont refusés en les nommant ; pour deux rasters seulement, comparez-les avec Changement entre dates. La série désigne les rasters par leur emplacement relatif à elle : déplacez-les ensemble.</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Embedding rasters, in time order</source>
      <translation>Rasters d'embeddings, dans l'ordre chronologique</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Periods, one per raster in order, e.g. 2019..2023 (empty = the rasters' Earth Engine dates)</source>
      <translation>Périodes, une par raster dans l'ordre, par exemple 2019..2023 (vide = les dates Earth Engine des rasters)</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <location filename="../engine/report/series.py" />
      <location filename="../engine/report/validation.py" />
      <source>Series</source>
      <translation>Série</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Series (*.vrt)</source>
      <translation>Série (*.vrt)</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Periods in the series</source>
      <translation>Périodes de la série</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Rasters resampled onto the first one's grid</source>
      <translation>Rasters rééchantillonnés sur la grille du premier</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>The layer '%s' is not a local raster file the runtime can read. Save it as a GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>La couche '%s' n'est pas un fichier raster local que le runtime peut lire. Enregistrez-la d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <location filename="../engine/pipeline/series_job.py" />
      <source>A series needs at least two rasters (got %d): to compare two dates use Change between dates.</source>
      <translation>Une série nécessite au moins deux rasters (%d donné(s)) : pour comparer deux dates, utilisez Changement entre dates.</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <location filename="../algorithms/series.py" />
      <location filename="../ui/parameters.py" />
      <source>Periods: %s</source>
      <translation>Périodes : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>%d rasters but %d periods (%s): give one period per raster, in the rasters' order.</source>
      <translation>%d rasters mais %d périodes (%s) : donnez une période par raster, dans l'ordre des rasters.</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Period %s was resampled onto the first raster's grid.</source>
      <translation>La période %s a été rééchantillonnée sur la grille du premier raster.</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <source>Series of %d periods (%s) of %s, %d dimensions: %s</source>
      <translation>Série de %d périodes (%s) de %s, %d dimensions : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/build_series.py" />
      <location filename="../engine/pipeline/series.py" />
      <source>an unknown model</source>
      <translation>un modèle inconnu</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Change between dates</source>
      <translation>Changement entre dates</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Per-cell cosine distance (1 - cosine similarity, 0 = unchanged, up to 2) between two embedding rasters of the same model, e.g. two dates. When the grids differ, the second raster is resampled onto the first one's grid: averaged where its cells are smaller (NaN cells left out), else nearest neighbour. Both rasters must have the same number of bands. Processed block by block; the log gives the distance distribution and, with a threshold, the changed share of the area.</source>
      <translation>Distance cosinus par cellule (1 - similarité cosinus, 0 = inchangé, jusqu'à 2) entre deux rasters d'embeddings du même modèle, par exemple deux dates. Quand les grilles diffèrent, le second raster est rééchantillonné sur la grille du premier : moyenné là où ses cellules sont plus petites (cellules NaN exclues), sinon au plus proche voisin. Les deux rasters doivent avoir le même nombre de bandes. Traitement bloc par bloc ; le journal donne la distribution des distances et, avec un seuil, la part changée de la zone.</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>the distribution of the change (histogram of the cosine distance, the threshold marked), its percentiles and the share of cells at or above the threshold.</source>
      <translation>la distribution du changement (histogramme de la distance cosinus, seuil marqué), ses centiles et la part des cellules égales ou supérieures au seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Embeddings, first date</source>
      <translation>Embeddings, première date</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Embeddings, second date</source>
      <translation>Embeddings, seconde date</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Changed above (optional)</source>
      <translation>Changé au-dessus de (facultatif)</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Change (cosine distance)</source>
      <translation>Changement (distance cosinus)</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Mean distance</source>
      <translation>Distance moyenne</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Changed fraction (with a threshold)</source>
      <translation>Fraction changée (avec un seuil)</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>first embedding raster</source>
      <translation>premier raster d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>second embedding raster</source>
      <translation>second raster d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>change raster</source>
      <translation>raster de changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>Cosine distance: mean %.4f, median %s, 99th percentile %s%s</source>
      <translation>Distance cosinus : moyenne %.4f, médiane %s, 99e centile %s%s</translation>
    </message>
    <message>
      <location filename="../algorithms/change.py" />
      <source>; resampled the second raster onto the first one's grid</source>
      <translation> ; second raster rééchantillonné sur la grille du premier</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <location filename="../engine/report/series.py" />
      <source>Change over time</source>
      <translation>Changement dans le temps</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Change over a series of periods (e.g. one embedding raster per year), per cell: the largest cosine distance (1 - cosine similarity, 0 = unchanged, up to 2) to the first period; the break, the number of the period that ends the largest step between consecutive periods; the size of that step; and the mean step (steady change: a mean near the largest step; one break: a largest step far above it), as the 4 bands of one raster. The class raster says stable (no step at or above the change step), one break (exactly one) or repeated change (two or more, e.g. crop rotation); the change areas are the polygons of the changed cells, one per class and break period. Periods: one series file made by TerraEmbed, or embedding rasters of the same model in order, at least 2 (for two dates use 'Change between dates'); a period on another grid is resampled onto the first one's (averaged from smaller cells, else nearest; the log says which). A cell counts when it has data in every period. Cost: every period is read once, block by block; memory stays the same for any number of periods, time grows with it.</source>
      <translation>Changement sur une série de périodes (par exemple un raster d'embeddings par année), par cellule : la plus grande distance cosinus (1 - similarité cosinus, 0 = inchangé, jusqu'à 2) à la première période ; la rupture, le numéro de la période qui termine le plus grand pas entre périodes consécutives ; la taille de ce pas ; et le pas moyen (changement régulier : une moyenne proche du plus grand pas ; une rupture : un plus grand pas bien au-dessus), sous forme des 4 bandes d'un même raster. Le raster de classes indique stable (aucun pas égal ou supérieur au pas de changement), une rupture (exactement une) ou changement répété (deux ou plus, par exemple une rotation des cultures) ; les zones de changement sont les polygones des cellules changées, un par classe et période de rupture. Périodes : un fichier de série fait par TerraEmbed, ou des rasters d'embeddings du même modèle dans l'ordre, au moins 2 (pour deux dates, utilisez 'Changement entre dates') ; une période sur une autre grille est rééchantillonnée sur celle de la première (par moyenne depuis des cellules plus petites, sinon au plus proche voisin ; le journal indique laquelle). Une cellule compte quand elle a des données à chaque période. Coût : chaque période est lue une fois, bloc par bloc ; la mémoire reste la même quel que soit le nombre de périodes, le temps croît avec lui.</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>the cells per class of change, the distance to the first period and the step by period (mean, median, 90th percentile, histograms), the breaks per period, and the timelines of the optional features.</source>
      <translation>les cellules par classe de changement, la distance à la première période et le pas par période (moyenne, médiane, 90e centile, histogrammes), les ruptures par période, et les chronologies des entités facultatives.</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Periods: a series file, or embedding rasters of one model in order (oldest first)</source>
      <translation>Périodes : un fichier de série, ou des rasters d'embeddings d'un même modèle dans l'ordre (le plus ancien d'abord)</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Period labels, comma separated (default: the layer names)</source>
      <translation>Libellés des périodes, séparés par des virgules (par défaut : les noms des couches)</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Change step: a step between consecutive periods at or above this cosine distance is a change</source>
      <translation>Pas de changement : un pas entre périodes consécutives égal ou supérieur à cette distance cosinus est un changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Features whose timelines the report shows (optional)</source>
      <translation>Entités dont le rapport montre la chronologie (facultatif)</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Feature names (optional)</source>
      <translation>Noms des entités (facultatif)</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <location filename="../engine/report/series.py" />
      <source>Change classes</source>
      <translation>Classes de changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <location filename="../engine/report/series.py" />
      <source>Change areas</source>
      <translation>Zones de changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Changed fraction (one break or repeated change)</source>
      <translation>Part changée (une rupture ou changement répété)</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Choose a series file or the embedding rasters of the periods, in order.</source>
      <translation>Choisissez un fichier de série ou les rasters d'embeddings des périodes, dans l'ordre.</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>The period '%s' is not a local raster file that the runtime can read. Save it as a GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>La période '%s' n'est pas un fichier raster local que le runtime peut lire. Enregistrez-la d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>Give one label per period (LABELS): %d labels for %d rasters.</source>
      <translation>Donnez un libellé par période (LABELS) : %d libellés pour %d rasters.</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>feature %d</source>
      <translation>entité %d</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>change over time raster</source>
      <translation>raster de changement dans le temps</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>change class raster</source>
      <translation>raster de classes de changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>change areas</source>
      <translation>zones de changement</translation>
    </message>
    <message>
      <location filename="../algorithms/change_series.py" />
      <source>%d periods (%s to %s): %s</source>
      <translation>%d périodes (%s à %s) : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../ui/environment_box.py" />
      <source>TerraEmbed environment report</source>
      <translation>Rapport d'environnement TerraEmbed</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>QGIS %s, QGIS's Python %s (%s)</source>
      <translation>QGIS %s, Python de QGIS %s (%s)</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Runtime Python: %s</source>
      <translation>Python du runtime : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Runtime: Python %s on %s</source>
      <translation>Runtime : Python %s sur %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>MISSING</source>
      <translation>MANQUANT</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Devices: CUDA %s%s, MPS %s; torch CUDA build: %s</source>
      <translation>Périphériques : CUDA %s%s, MPS %s ; build CUDA de torch : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/compare.py" />
      <location filename="../engine/report/page.py" />
      <source>yes</source>
      <translation>oui</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../engine/report/compare.py" />
      <location filename="../engine/report/page.py" />
      <source>no</source>
      <translation>non</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Device that would be used: %s</source>
      <translation>Périphérique qui serait utilisé : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>CPU: %s; precision 'auto' runs in %s on %s</source>
      <translation>CPU : %s ; la précision 'auto' s'exécute en %s sur %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Model weights available without network:</source>
      <translation>Poids de modèles disponibles sans réseau :</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>no </source>
      <translation>non</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Lock check (%s build): %s</source>
      <translation>Vérification du verrou (build %s) : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>%d difference(s)</source>
      <translation>%d différence(s)</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Ready: %s</source>
      <translation>Prêt : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../ui/environment_box.py" />
      <source>PROBLEM: %s</source>
      <translation>PROBLÈME : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>    FIX: %s</source>
      <translation>    SOLUTION : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../ui/environment_box.py" />
      <source>Check environment</source>
      <translation>Vérifier l'environnement</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <location filename="../algorithms/install_runtime.py" />
      <source>Setup</source>
      <translation>Installation</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Reports QGIS and its Python, the runtime's interpreter and its torch, terratorch, huggingface_hub, earthengine-api and numpy versions, whether CUDA or MPS work and which device would be used, whether the CPU computes bf16 natively (AVX512-BF16 or AMX) and so which precision 'auto' runs in, which model weights are available without network, and whether the runtime matches the plugin's lock. For every missing piece it says the exact fix.

Outputs: the report (text file), READY (true when embeddings can be computed), PROBLEMS (the problems as JSON, a list of {"problem": ..., "fix": ...}; [] when ready) and DEVICE_USED (the device a run would use, with the reason when it is not the one asked for). It never fails because something is missing: it reports it.</source>
      <translation>Indique QGIS et son Python, l'interpréteur du runtime et ses versions de torch, terratorch, huggingface_hub, earthengine-api et numpy, si CUDA ou MPS fonctionnent et quel périphérique serait utilisé, si le CPU calcule nativement en bf16 (AVX512-BF16 ou AMX) et donc dans quelle précision 'auto' s'exécute, quels poids de modèles sont disponibles sans réseau, et si le runtime correspond au verrou du plugin. Pour chaque élément manquant, il donne la solution exacte.

Sorties : le rapport (fichier texte), READY (vrai quand les embeddings peuvent être calculés), PROBLEMS (les problèmes en JSON, une liste de {"problem": ..., "fix": ...} ; [] quand tout est prêt) et DEVICE_USED (le périphérique qu'un traitement utiliserait, avec la raison quand ce n'est pas celui demandé). Il n'échoue jamais parce qu'un élément manque : il le signale.</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Device to check</source>
      <translation>Périphérique à vérifier</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Report</source>
      <translation>Rapport</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Text files (*.txt)</source>
      <translation>Fichiers texte (*.txt)</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Ready</source>
      <translation>Prêt</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Report text</source>
      <translation>Texte du rapport</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Problems and their fixes (JSON)</source>
      <translation>Problèmes et solutions (JSON)</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Device that would be used</source>
      <translation>Périphérique qui serait utilisé</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>environment report</source>
      <translation>rapport d'environnement</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>environment report (JSON)</source>
      <translation>rapport d'environnement (JSON)</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>See the message; then run this check again.</source>
      <translation>Voir le message ; puis relancez cette vérification.</translation>
    </message>
    <message>
      <location filename="../algorithms/check_environment.py" />
      <source>Run 'Install or update runtime'.</source>
      <translation>Lancez 'Installer ou mettre à jour le runtime'.</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <location filename="../ui/dock.py" />
      <source>%s: %s</source>
      <translation>%s : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>a GeoTIFF</source>
      <translation>un GeoTIFF</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>a GeoPackage or GeoJSON file</source>
      <translation>un fichier GeoPackage ou GeoJSON</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>a %s file</source>
      <translation>un fichier %s</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s must be one of %s; got %r.</source>
      <translation>%s doit être l'une des valeurs %s ; reçu %r.</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s: the file %s does not exist. Check the path (a relative path is relative to the folder the command runs in).</source>
      <translation>%s : le fichier %s n'existe pas. Vérifiez le chemin (un chemin relatif part du dossier où la commande est lancée).</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>it could not be opened</source>
      <translation>il n'a pas pu être ouvert</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>it has no raster bands</source>
      <translation>il n'a aucune bande raster</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s: the file %s is not a raster GDAL can read, or it is corrupt or truncated (GDAL: %s). Choose a GeoTIFF or another raster file, or export or download it again.</source>
      <translation>%s : le fichier %s n'est pas un raster lisible par GDAL, ou il est corrompu ou tronqué (GDAL : %s). Choisissez un GeoTIFF ou un autre fichier raster, ou exportez-le ou téléchargez-le à nouveau.</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s: %s is a folder; a file is expected. Choose the file itself (e.g. the weights file in it).</source>
      <translation>%s : %s est un dossier ; un fichier est attendu. Choisissez le fichier lui-même (par exemple le fichier de poids qu'il contient).</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s is written as %s, so its file name must end in %s; got %s. Rename it, e.g. %s.</source>
      <translation>%s est écrit en %s, son nom de fichier doit donc se terminer par %s ; reçu %s. Renommez-le, par exemple %s.</translation>
    </message>
    <message>
      <location filename="../algorithms/checks.py" />
      <source>%s: a shapefile holds at most %d fields, and this output needs %d (one per embedding dimension). Save it as a GeoPackage instead (%s).</source>
      <translation>%s : un shapefile contient au plus %d champs, et cette sortie en demande %d (un par dimension d'embedding). Enregistrez-la plutôt en GeoPackage (%s).</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <source>Few-shot classification</source>
      <translation>Classification few-shot</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Classifies every cell of an embedding raster from a few labelled points or polygons (a class field). The embeddings under the labels train a logistic regression or a k-nearest-neighbours classifier (scikit-learn), which predicts every cell block by block. Outputs: a class raster (codes 1..n in the order classes first appear, 0 = nodata, palette, class names in the metadata), optionally a probability raster (one band per class) and a CSV table with cross-validated accuracy and per-class precision, recall and F1. Validation: grouped by feature (the default: the cells of one labelled feature stay together when every class has at least two features), spatial blocks (cells grouped into squares of the block size in map units, never split between training and validation; 0 = a size derived from the labels' spread, stated in the log) or by cell (optimistic: neighbouring cells are alike). The accuracy comes with its 95% interval across folds and the macro F1; the report draws the learning curve (accuracy against labelled cells per class). The log says which scheme was used. Reproducible with the seed. With a field marking negative examples, features whose value is below 0 are left out of the training (a negative example says what a place is not, not a class); the log says how many.

Where the classifier is unsure (optional): an uncertainty raster (band 1: 1 - the largest class probability, 0 = sure; band 2: the margin between the two best classes, 0 = a tie) and 'where to label next': a point layer of the most uncertain cells, no two closer than the spacing and none closer than that to a labelled feature (map units; 0 = 5 cells), with an empty 'class' field to fill, the uncertainty, the margin and the two most likely classes. Fill in 'class', add the points to your labels and run again.

Save the classifier (optional, logistic regression only): a JSON file (no pickle; a SHA-256 refuses an edited file) with the classes, the model and grid of these embeddings and the fitted numbers, for 'Apply classifier' on another raster of the same model.</source>
      <translation>Classe chaque cellule d'un raster d'embeddings à partir de quelques points ou polygones étiquetés (un champ de classe). Les embeddings sous les étiquettes entraînent une régression logistique ou un classifieur des k plus proches voisins (scikit-learn), qui prédit chaque cellule bloc par bloc. Sorties : un raster de classes (codes 1..n dans l'ordre d'apparition des classes, 0 = nodata, palette, noms des classes dans les métadonnées), en option un raster de probabilités (une bande par classe) et une table CSV avec l'exactitude en validation croisée et la précision, le rappel et le F1 par classe. Validation : groupée par entité (par défaut : les cellules d'une même entité étiquetée restent ensemble quand chaque classe a au moins deux entités), blocs spatiaux (cellules groupées en carrés de la taille de bloc en unités de carte, jamais partagés entre entraînement et validation ; 0 = une taille déduite de l'étendue des étiquettes, indiquée dans le journal) ou par cellule (optimiste : des cellules voisines se ressemblent). L'exactitude est donnée avec son intervalle à 95 % entre les plis et le F1 macro ; le rapport trace la courbe d'apprentissage (exactitude en fonction des cellules étiquetées par classe). Le journal indique le schéma utilisé. Reproductible avec la graine. Avec un champ marquant les exemples négatifs, les entités dont la valeur est inférieure à 0 sont exclues de l'entraînement (un exemple négatif dit ce qu'un lieu n'est pas, ce n'est pas une classe) ; le journal indique combien.

Là où le classifieur hésite (facultatif) : un raster d'incertitude (bande 1 : 1 - la plus grande probabilité de classe, 0 = certain ; bande 2 : l'écart entre les deux meilleures classes, 0 = égalité) et 'où étiqueter ensuite' : une couche de points des cellules les plus incertaines, jamais deux plus proches que l'espacement et aucune plus proche que cela d'une entité étiquetée (unités de carte ; 0 = 5 cellules), avec un champ 'class' vide à remplir, l'incertitude, l'écart et les deux classes les plus probables. Remplissez 'class', ajoutez les points à vos étiquettes et relancez.

Enregistrer le classifieur (facultatif, régression logistique uniquement) : un fichier JSON (sans pickle ; un SHA-256 refuse un fichier modifié) avec les classes, le modèle et la grille de ces embeddings et les valeurs ajustées, pour 'Appliquer un classifieur' à un autre raster du même modèle.</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>the cross-validated confusion matrix as a heat map with counts, precision, recall and F1 per class, the cross-validation scheme and folds, the accuracy's 95% interval across folds and the macro F1, the learning curve, the training and predicted cells per class, and the uncertainty raster, where to label next and the saved classifier when they were written.</source>
      <translation>la matrice de confusion en validation croisée sous forme de carte de chaleur avec les effectifs, la précision, le rappel et le F1 par classe, le schéma et les plis de validation croisée, l'intervalle à 95 % de l'exactitude entre les plis et le F1 macro, la courbe d'apprentissage, les cellules d'entraînement et prédites par classe, ainsi que le raster d'incertitude, les points où étiqueter ensuite et le classifieur enregistré quand ils ont été écrits.</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../algorithms/compare.py" />
      <location filename="../engine/report/classification.py" />
      <source>Labelled features</source>
      <translation>Entités étiquetées</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../algorithms/compare.py" />
      <source>Class field</source>
      <translation>Champ de classe</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Classifier</source>
      <translation>Classifieur</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../algorithms/compare.py" />
      <source>Neighbours (kNN)</source>
      <translation>Voisins (kNN)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Cross-validation folds (0 = none)</source>
      <translation>Plis de validation croisée (0 = aucune)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <source>Accuracy table (CSV)</source>
      <translation>Table d'exactitude (CSV)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../algorithms/compare.py" />
      <source>CSV files (*.csv)</source>
      <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <source>Cross-validated accuracy</source>
      <translation>Exactitude en validation croisée</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/compare.py" />
      <source>Validation</source>
      <translation>Validation</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Spatial block size (map units, 0 = automatic)</source>
      <translation>Taille des blocs spatiaux (unités de carte, 0 = automatique)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Accuracy: low end of the 95% interval across folds</source>
      <translation>Exactitude : borne basse de l'intervalle à 95 % entre les plis</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Accuracy: high end of the 95% interval across folds</source>
      <translation>Exactitude : borne haute de l'intervalle à 95 % entre les plis</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Cross-validated macro F1</source>
      <translation>F1 macro en validation croisée</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Cross-validated accuracy: %.3f (%s folds, %s)</source>
      <translation>Exactitude en validation croisée : %.3f (%s plis, %s)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../ui/explore_box.py" />
      <source>Where to label next</source>
      <translation>Où étiqueter ensuite</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Suggestions (where to label next)</source>
      <translation>Suggestions (où étiqueter ensuite)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Spacing of suggestions, from each other and from labels (map units, 0 = 5 cells)</source>
      <translation>Espacement des suggestions, entre elles et par rapport aux étiquettes (unités de carte, 0 = 5 cellules)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Save the classifier (to apply it to another raster)</source>
      <translation>Enregistrer le classifieur (pour l'appliquer à un autre raster)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>TerraEmbed classifier (*.json)</source>
      <translation>Classifieur TerraEmbed (*.json)</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>suggestions</source>
      <translation>suggestions</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>classifier file</source>
      <translation>fichier de classifieur</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Where to label next: %d cells</source>
      <translation>Où étiqueter ensuite : %d cellules</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>%d negative examples (their '%s' is below 0) left out of the training: they say what a place is not, not a class.</source>
      <translation>%d exemples négatifs (leur '%s' est inférieur à 0) exclus de l'entraînement : ils disent ce qu'un lieu n'est pas, ce ne sont pas des classes.</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Few-shot classification needs labelled features of at least two classes in the field '%s'.</source>
      <translation>La classification few-shot demande des entités étiquetées d'au moins deux classes dans le champ '%s'.</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>accuracy report</source>
      <translation>rapport d'exactitude</translation>
    </message>
    <message>
      <location filename="../algorithms/classify.py" />
      <source>Classes: %s</source>
      <translation>Classes : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Cluster embeddings (k-means)</source>
      <translation>Regrouper les embeddings (k-moyennes)</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Groups the cells of an embedding raster into k clusters with mini-batch k-means (scikit-learn), fitted on a random sample of valid cells and applied block by block. k = 0 chooses k automatically: every k in the range is tried and the one with the best silhouette score on a sample wins. The output is a class raster (1 = the largest cluster, 0 = nodata) with a colour palette. Reproducible with the seed.</source>
      <translation>Regroupe les cellules d'un raster d'embeddings en k groupes par k-moyennes en mini-lots (scikit-learn), ajusté sur un échantillon aléatoire de cellules valides et appliqué bloc par bloc. k = 0 choisit k automatiquement : chaque k de l'intervalle est essayé et celui qui a le meilleur score de silhouette sur un échantillon l'emporte. La sortie est un raster de classes (1 = le plus grand groupe, 0 = nodata) avec une palette de couleurs. Reproductible avec la graine.</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>the silhouette score for every k tried (when k was chosen automatically) and the cells per cluster, as charts and tables.</source>
      <translation>le score de silhouette de chaque k essayé (quand k a été choisi automatiquement) et les cellules par groupe, en graphiques et en tables.</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Number of clusters (0 = automatic)</source>
      <translation>Nombre de groupes (0 = automatique)</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Automatic k: smallest</source>
      <translation>k automatique : plus petit</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Automatic k: largest</source>
      <translation>k automatique : plus grand</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Clusters</source>
      <translation>Groupes</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Number of clusters</source>
      <translation>Nombre de groupes</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>cluster raster</source>
      <translation>raster de groupes</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>Silhouette by k: %s</source>
      <translation>Silhouette par k : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/cluster.py" />
      <source>%d clusters</source>
      <translation>%d groupes</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <location filename="../engine/report/compare.py" />
      <source>Compare embeddings</source>
      <translation>Comparer des embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Which embeddings separate your classes best here? Takes labelled points or polygons (a class field) and two or more embedding rasters of the same area: different models or sizes (TerraFM, TerraMind, AlphaEarth...), grids and CRSs are fine, each raster is sampled under the labels on its own grid. Every raster is validated on the same spatial blocks and folds (squares of the block size in map units of the first raster's CRS; 0 = a size derived from the labels' spread, stated in the log): blocks never split between training and validation, so neighbouring cells cannot flatter the score, and the comparison is fair. For each raster: the accuracy of a linear probe (logistic regression) and of k nearest neighbours, each with its 95% interval across folds, the macro F1, the learning curve, its dimensions and cell size. The table ranks the rasters by the linear probe and says, fold by fold, whether each one's difference to the best is within the folds' spread (the labels cannot tell them apart) or beyond it. Labels outside a raster are counted per raster; a raster that does not overlap the labels is refused. Reproducible with the seed.</source>
      <translation>Quels embeddings séparent le mieux vos classes ici ? Prend des points ou polygones étiquetés (un champ de classe) et deux rasters d'embeddings ou plus de la même zone : des modèles ou tailles différents (TerraFM, TerraMind, AlphaEarth...), des grilles et des SCR différents conviennent, chaque raster est échantillonné sous les étiquettes sur sa propre grille. Chaque raster est validé sur les mêmes blocs spatiaux et les mêmes plis (des carrés de la taille de bloc en unités de carte du SCR du premier raster ; 0 = une taille déduite de l'étendue des étiquettes, indiquée dans le journal) : les blocs ne sont jamais partagés entre entraînement et validation, ainsi des cellules voisines ne peuvent pas flatter le score, et la comparaison est équitable. Pour chaque raster : l'exactitude d'une sonde linéaire (régression logistique) et des k plus proches voisins, chacune avec son intervalle à 95 % entre les plis, le F1 macro, la courbe d'apprentissage, ses dimensions et sa taille de cellule. La table classe les rasters selon la sonde linéaire et indique, pli par pli, si l'écart de chacun au meilleur reste dans la dispersion des plis (les étiquettes ne permettent pas de les départager) ou la dépasse. Les étiquettes hors d'un raster sont comptées par raster ; un raster qui ne recouvre pas les étiquettes est refusé. Reproductible avec la graine.</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>the ranking with both classifiers' accuracies and intervals as charts, the fold-by-fold differences to the best raster, and every raster's learning curve in one chart.</source>
      <translation>le classement avec les exactitudes et intervalles des deux classifieurs sous forme de graphiques, les écarts pli par pli au meilleur raster, et la courbe d'apprentissage de chaque raster dans un même graphique.</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Embedding rasters</source>
      <translation>Rasters d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Folds</source>
      <translation>Plis</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Spatial block size (map units of the first raster, 0 = automatic)</source>
      <translation>Taille des blocs spatiaux (unités de carte du premier raster, 0 = automatique)</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <location filename="../engine/report/compare.py" />
      <source>Comparison table (CSV)</source>
      <translation>Table de comparaison (CSV)</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Best raster (by the linear probe)</source>
      <translation>Meilleur raster (selon la sonde linéaire)</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Best raster's validated accuracy</source>
      <translation>Exactitude validée du meilleur raster</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Choose two or more embedding rasters to compare.</source>
      <translation>Choisissez deux rasters d'embeddings ou plus à comparer.</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>The embedding raster '%s' is not a local file that the runtime can read. Save it as a GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>Le raster d'embeddings '%s' n'est pas un fichier local que le runtime peut lire. Enregistrez-le d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>Compare embeddings needs labelled features of at least two classes in the field '%s'.</source>
      <translation>Comparer des embeddings nécessite des entités étiquetées d'au moins deux classes dans le champ '%s'.</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>comparison table</source>
      <translation>table de comparaison</translation>
    </message>
    <message>
      <location filename="../algorithms/compare.py" />
      <source>%d. %s: linear probe %.3f, k-NN %.3f, macro F1 %.3f</source>
      <translation>%d. %s : sonde linéaire %.3f, k-NN %.3f, F1 macro %.3f</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: start date (YYYY-MM-DD)</source>
      <translation>Earth Engine : date de début (AAAA-MM-JJ)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: end date (YYYY-MM-DD)</source>
      <translation>Earth Engine : date de fin (AAAA-MM-JJ)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: pixel size (m)</source>
      <translation>Earth Engine : taille de pixel (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: maximum cloudy pixel percentage (Sentinel-2)</source>
      <translation>Earth Engine : pourcentage maximal de pixels nuageux (Sentinel-2)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: per-pixel cloud mask (Sentinel-2)</source>
      <translation>Earth Engine : masque de nuages par pixel (Sentinel-2)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: orbit pass (Sentinel-1)</source>
      <translation>Earth Engine : sens d'orbite (Sentinel-1)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine: Cloud project (empty = settings, EE_PROJECT or GOOGLE_CLOUD_PROJECT)</source>
      <translation>Earth Engine : projet Cloud (vide = paramètres, EE_PROJECT ou GOOGLE_CLOUD_PROJECT)</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>The %s date %r is not a date: use YYYY-MM-DD.</source>
      <translation>La date de %s %r n'est pas une date : utilisez AAAA-MM-JJ.</translation>
    </message>
    <message>
      <location filename="../algorithms/earthengine_params.py" />
      <source>Earth Engine needs an area of interest: draw or choose an extent.</source>
      <translation>Earth Engine demande une zone d'intérêt : dessinez ou choisissez une emprise.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Compute embeddings</source>
      <translation>Calculer les embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>the inputs, the model and its weights (random weights in red), device and precision, chips embedded and skipped, cells, speed and time, the PCA explained variance (chart and table) and, for Earth Engine imagery, its provenance (collection, dates, images, filters).</source>
      <translation>les entrées, le modèle et ses poids (poids aléatoires en rouge), le périphérique et la précision, les tuiles traitées et ignorées, les cellules, la vitesse et la durée, la variance expliquée de l'ACP (graphique et table) et, pour l'imagerie Earth Engine, sa provenance (collection, dates, images, filtres).</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Input raster (Raster layer source)</source>
      <translation>Raster en entrée (source « Couche raster »)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Imagery source</source>
      <translation>Source de l'imagerie</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Scale (multiply pixel values; 10000 for reflectance stored as 0..1)</source>
      <translation>Échelle (multiplie les valeurs des pixels ; 10000 pour une réflectance stockée en 0..1)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/dock_boxes.py" />
      <source>Input preparation</source>
      <translation>Préparation des entrées</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Tile overlap (tile mode; removes seams)</source>
      <translation>Recouvrement des tuiles (mode tuiles ; supprime les raccords)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../ui/dock_boxes.py" />
      <source>PCA components</source>
      <translation>Composantes de l'ACP</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Embedding grid</source>
      <translation>Grille d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Embedding grid compression</source>
      <translation>Compression de la grille d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>PCA (RGB)</source>
      <translation>ACP (RVB)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Pooled embedding</source>
      <translation>Embedding agrégé</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Earth Engine composite (model input)</source>
      <translation>Composite Earth Engine (entrée du modèle)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Embedding dimension</source>
      <translation>Dimension des embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Valid grid cells</source>
      <translation>Cellules valides de la grille</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Device used</source>
      <translation>Périphérique utilisé</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Pooled embedding (OUTPUT_POOLED)</source>
      <translation>Embedding agrégé (OUTPUT_POOLED)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Model: %s (%d-dim), device: %s, preparation: %s</source>
      <translation>Modèle : %s (%d dimensions), périphérique : %s, préparation : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>Weights: %s</source>
      <translation>Poids : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <location filename="../algorithms/embed_features.py" />
      <source>Precision: %s (asked: %s)</source>
      <translation>Précision : %s (demandée : %s)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed.py" />
      <source>PCA explained variance: %s</source>
      <translation>Variance expliquée de l'ACP : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>it has no geometry</source>
      <translation>elle n'a pas de géométrie</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Embeddings for features</source>
      <translation>Embeddings des entités</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>the inputs, the model and its weights (random weights in red), device and precision, the features embedded and those skipped with the reason, and the time taken.</source>
      <translation>les entrées, le modèle et ses poids (poids aléatoires en rouge), le périphérique et la précision, les entités traitées et celles ignorées avec la raison, et la durée.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Embeds the imagery under each feature of a polygon or point layer and appends the pooled embedding to the feature as fields emb_000... This is how to build a training table for a classifier.

Each feature's bounding box (points: a square of 'Buffer' raster-CRS units, e.g. metres, around the point) is read from the raster and resized to the model's 224-pixel input; features are embedded in batches. Features without a geometry, outside the raster, on nodata only, or larger than one resized chip allows get empty embedding fields, the reason in the field '%s' ('%s' for the others) and a warning naming the feature; the run fails only if no feature can be embedded.

Model, bands, scale, the Sentinel-1 and DEM rasters of TerraMind on several sensors, device, precision, weights and Dask scheduler work as in 'Compute embeddings'. Cancel leaves no output.</source>
      <translation>Calcule l'embedding de l'imagerie sous chaque entité d'une couche de polygones ou de points et l'ajoute à l'entité dans les champs emb_000... C'est ainsi que l'on construit une table d'entraînement pour un classifieur.

L'emprise de chaque entité (points : un carré de 'Tampon' unités du SCR du raster, par exemple des mètres, autour du point) est lue dans le raster et redimensionnée à l'entrée de 224 pixels du modèle ; les entités sont traitées par lots. Les entités sans géométrie, hors du raster, uniquement sur du nodata ou plus grandes que ce que permet une tuile redimensionnée reçoivent des champs d'embedding vides, la raison dans le champ '%s' ('%s' pour les autres) et un avertissement qui nomme l'entité ; le traitement n'échoue que si aucune entité ne peut être traitée.

Le modèle, les bandes, l'échelle, les rasters Sentinel-1 et MNT de TerraMind sur plusieurs capteurs, le périphérique, la précision, les poids et l'ordonnanceur Dask fonctionnent comme dans 'Calculer les embeddings'. Une annulation ne laisse aucune sortie.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>

Feature vector: 'chip' (the default) is the above. 'cells' makes each feature's vector the mean of the embedding grid cells whose centres lie inside it (the grid 'Compute embeddings' writes for the whole raster in tile preparation: 16 x 16 pixel cells) and adds the field '%s' (their count), so zones merge exactly: the mean of features A and B = (cells_A x mean_A + cells_B x mean_B) / (cells_A + cells_B). A feature with no cell centre inside it is skipped; the Dask scheduler is not used.

Output format: a file name ending in %s writes GeoParquet 1.1 (the runtime writes it with pyarrow, whatever this QGIS's GDAL can write): the layer's fields, '%s', the embedding as one list column 'embedding' (float32) and the geometry; it is added as a layer only where QGIS's GDAL reads Parquet. Any other name (GeoPackage: the default) gets one field emb_000... per dimension.</source>
      <translation>

Vecteur d'entité : 'chip' (par défaut) correspond à ce qui précède. 'cells' fait du vecteur de chaque entité la moyenne des cellules de la grille d'embeddings dont le centre est à l'intérieur (la grille que 'Calculer les embeddings' écrit pour tout le raster en préparation par tuiles : cellules de 16 x 16 pixels) et ajoute le champ '%s' (leur nombre), si bien que les zones se fusionnent exactement : la moyenne des entités A et B = (cells_A x moyenne_A + cells_B x moyenne_B) / (cells_A + cells_B). Une entité sans centre de cellule à l'intérieur est ignorée ; l'ordonnanceur Dask n'est pas utilisé.

Format de sortie : un nom de fichier se terminant par %s écrit du GeoParquet 1.1 (le runtime l'écrit avec pyarrow, quoi que puisse écrire le GDAL de ce QGIS) : les champs de la couche, '%s', l'embedding sous forme d'une colonne liste 'embedding' (float32) et la géométrie ; il n'est ajouté comme couche que là où le GDAL de QGIS lit le Parquet. Tout autre nom (GeoPackage : par défaut) reçoit un champ emb_000... par dimension.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Features (polygons or points)</source>
      <translation>Entités (polygones ou points)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <location filename="../engine/report/compare.py" />
      <source>Raster</source>
      <translation>Raster</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Scale (10000 for reflectance stored as 0..1)</source>
      <translation>Échelle (10000 pour une réflectance stockée en 0..1)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Buffer around points (raster CRS units)</source>
      <translation>Tampon autour des points (unités du SCR du raster)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Feature vector</source>
      <translation>Vecteur d'entité</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Features with embeddings</source>
      <translation>Entités avec embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Features embedded</source>
      <translation>Entités traitées</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Features with embeddings (OUTPUT)</source>
      <translation>Entités avec embeddings (OUTPUT)</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>features with embeddings</source>
      <translation>entités avec embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Embedding %d feature(s) of '%s' with %s</source>
      <translation>Calcul des embeddings de %d entité(s) de '%s' avec %s</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Choose a polygon or point layer.</source>
      <translation>Choisissez une couche de polygones ou de points.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Choose a raster layer.</source>
      <translation>Choisissez une couche raster.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>The raster '%s' is not a local file. Save it as GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>Le raster '%s' n'est pas un fichier local. Enregistrez-le d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Feature %d (#%s of the layer) was not embedded: %s</source>
      <translation>L'entité %d (n° %s de la couche) n'a pas été traitée : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>Points need a buffer larger than 0 (raster CRS units) to cut a window.</source>
      <translation>Les points demandent un tampon supérieur à 0 (unités du SCR du raster) pour découper une fenêtre.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>The layer has no features with a geometry.</source>
      <translation>La couche n'a aucune entité avec une géométrie.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_features.py" />
      <source>The layer already has a field named %s: run on a layer without embedding fields, or drop them first.</source>
      <translation>La couche a déjà un champ nommé %s : lancez le traitement sur une couche sans champs d'embedding, ou supprimez-les d'abord.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_help.py" />
      <source>Computes foundation-model embeddings for an area of interest of a raster layer (or of imagery fetched from Google Earth Engine) and returns three results:
- Embedding grid: a GeoTIFF with one band per embedding dimension (emb_000...), one cell per 16x16 input pixels in tile mode, georeferenced like the input.
- PCA: the first principal components of the grid (default 3, shown as RGB).
- Pooled vector: the area of interest as a polygon with the pooled embedding in fields emb_000...
The grid, the PCA and the model-input copy (an advanced output) are Cloud Optimized GeoTIFFs (tiled, with averaged overviews), so QGIS and web viewers draw them zoomed out without reading every cell. Beside the grid (or the PCA when there is no grid) a STAC Item, &lt;grid name&gt;.stac.json, describes the run for other tools: footprint, dates, projection, model and weights, source imagery, embedding type and dimensions, and every output file.

Models: TerraFM-B (Sentinel-2, 12 bands B1..B12 without B10; or Sentinel-1 VV, VH in linear units), TerraFM-L (the same inputs; the most accurate TerraFM, about 3.2x TerraFM-B's compute per chip and 1024-dimensional) and TerraMind v1 tiny/small/base/large on Sentinel-2 L2A (12 bands), on Sentinel-1 GRD alone, on Sentinel-2 + Sentinel-1, or on Sentinel-2 + Sentinel-1 + DEM. Sentinel-2 values are surface reflectance 0..10000: use 'Scale' 10000 for rasters stored as 0..1 (it scales the Sentinel-2 bands only).
Sensors (TerraMind): Sentinel-2 alone is the default and the cheapest. Sentinel-1 alone sees through clouds and at night (radar: water, roughness, structure). Sentinel-2 + Sentinel-1 describes both the surface's colour and its structure, for cloudy areas, floods, crops and built-up land; adding the DEM adds terrain (slopes, valleys, landforms). Each sensor is cut into its own 14 x 14 tokens, the encoder attends over all sensors' tokens together, and each grid cell is the mean of the sensors' tokens at that place (terratorch's 'mean' merge), so the grid, PCA and pooled vector have the same shape and size as for one sensor. Cost: the encoder sees 2x (S2 + S1) or 3x (S2 + S1 + DEM) the tokens: counted, about 2.1-2.3x and 3.2-3.9x the compute per tile (the smaller the model, the higher). Inputs: the input raster holds Sentinel-2 (or every sensor, stacked: choose the bands in model order B1..B12, VV, VH, DEM); 'Sentinel-1 raster' and 'DEM raster' give the other sensors as their own layers, resampled (bilinear) onto the input raster's grid when they differ (the log says so). Sentinel-1 is linear backscatter (COPERNICUS/S1_GRD_FLOAT; 'Sentinel-1 input is in dB' converts dB data); TerraMind was trained on dB, so TerraEmbed converts it to dB (10 log10) before the TerraMind v1 S1GRD statistics. The DEM is in metres (a band whose unit says feet is converted); DEM nodata holes and areas a sensor raster does not cover get the pre-training mean (a neutral input) and a warning; a sensor raster that does not overlap the area is an error. With Earth Engine, all sensors are fetched on one grid (Sentinel-1 from COPERNICUS/S1_GRD_FLOAT, the DEM from COPERNICUS/DEM/GLO30).
Area of interest: an extent in any CRS (empty = the whole raster), or polygons ('Area of interest polygons': a layer, or only its selected features): pixels outside the polygons are then ignored, grid cells wholly outside them are nodata, and the pooled vector's polygon is the area of interest itself.
Bands: leave empty to match bands by their names (B1..B12, B01..B12, B8A, VV, VH, common names) or to use the raster's bands when it has exactly the number the model needs; otherwise pick them in model order (on the command line as a comma list: BANDS=1,2,3,4,5,6,7,8,9,10,11,12). A band chosen twice gets a warning.
Outputs: the embedding grid and the PCA are GeoTIFF files (.tif); the pooled embedding has one field per dimension (up to 1024), more than a shapefile holds: save it as a GeoPackage (.gpkg). Embedding grid compression (advanced): 'none' (the default) writes the grid at about its raw size (dimensions x cells x 4 bytes) and is the fastest to write and to read; embedding values hardly compress, so 'DEFLATE' makes the file smaller only where many cells are empty (nodata), e.g. outside a polygon area, and is slower.
A pooled embedding named *.parquet is written by the runtime as GeoParquet 1.1 (the embedding as one list column 'embedding', float32; type the name: the file chooser lists only what QGIS's GDAL writes); it is added as a layer only where QGIS's GDAL has the Parquet driver.
Input preparation: 'tile' cuts the area into 224-pixel tiles (memory stays bounded; the right choice for large areas); 'resize' resizes the whole area to 224 pixels (one 14x14 grid; an area enlarged more than 4x gets a warning); 'auto' tiles when the area is larger than one tile.
Tile overlap (tile mode): 'none' cuts abutting tiles (the reference's layout). A model sees less context near a tile's border, so abutting tiles leave visible seams in the embedding map; with '25%' (stride 160 px, about 2x the tiles and the time) or '50%' (stride 112 px, about 4x) tiles overlap and every grid cell is the mean of the tiles covering it, weighted by its distance from each tile's edges, so the map has no seams. The grid's cells and georeference and the pooled vector (area-weighted mean of the tiles) keep their meaning.
Geographic rasters (e.g. EPSG:4326) are warped to the UTM zone of the area's centre at about the source resolution, so cells are in metres.
Weights come from the Hugging Face hub (cached) or a local file (advanced). 'Random weights' is for testing only: the embeddings are then meaningless, and the outputs say so in their metadata.
</source>
      <translation>Calcule les embeddings d'un modèle de fondation pour une zone d'intérêt d'une couche raster (ou d'une imagerie récupérée depuis Google Earth Engine) et renvoie trois résultats :
- Grille d'embeddings : un GeoTIFF avec une bande par dimension d'embedding (emb_000...), une cellule pour 16x16 pixels en entrée en mode tuiles, géoréférencé comme l'entrée.
- ACP : les premières composantes principales de la grille (3 par défaut, affichées en RVB).
- Vecteur agrégé : la zone d'intérêt sous forme de polygone avec l'embedding agrégé dans les champs emb_000...
La grille, l'ACP et la copie de l'entrée du modèle (une sortie avancée) sont des Cloud Optimized GeoTIFF (en tuiles, avec des aperçus moyennés), si bien que QGIS et les visualiseurs web les affichent en vue d'ensemble sans lire chaque cellule. À côté de la grille (ou de l'ACP quand il n'y a pas de grille), un Item STAC, &lt;nom de la grille&gt;.stac.json, décrit l'exécution pour d'autres outils : emprise, dates, projection, modèle et poids, imagerie source, type et dimensions de l'embedding, et chaque fichier de sortie.

Modèles : TerraFM-B (Sentinel-2, 12 bandes B1..B12 sans B10 ; ou Sentinel-1 VV, VH en unités linéaires), TerraFM-L (les mêmes entrées ; le TerraFM le plus précis, environ 3,2x le calcul de TerraFM-B par tuile et 1024 dimensions) et TerraMind v1 tiny/small/base/large sur Sentinel-2 L2A (12 bandes), sur Sentinel-1 GRD seul, sur Sentinel-2 + Sentinel-1, ou sur Sentinel-2 + Sentinel-1 + MNT. Les valeurs Sentinel-2 sont des réflectances de surface 0..10000 : utilisez 'Échelle' 10000 pour les rasters stockés en 0..1 (cela ne met à l'échelle que les bandes Sentinel-2).
Capteurs (TerraMind) : Sentinel-2 seul est le choix par défaut et le moins coûteux. Sentinel-1 seul voit à travers les nuages et de nuit (radar : eau, rugosité, structure). Sentinel-2 + Sentinel-1 décrit à la fois la couleur de la surface et sa structure, pour les zones nuageuses, les inondations, les cultures et le bâti ; ajouter le MNT ajoute le relief (pentes, vallées, formes du terrain). Chaque capteur est découpé en ses propres jetons de 14 x 14, l'encodeur porte son attention sur les jetons de tous les capteurs ensemble, et chaque cellule de la grille est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' de terratorch), si bien que la grille, l'ACP et le vecteur agrégé ont la même forme et la même taille que pour un seul capteur. Coût : l'encodeur voit 2x (S2 + S1) ou 3x (S2 + S1 + MNT) les jetons : mesuré, environ 2,1-2,3x et 3,2-3,9x le calcul par tuile (d'autant plus que le modèle est petit). Entrées : le raster en entrée contient Sentinel-2 (ou tous les capteurs, empilés : choisissez les bandes dans l'ordre du modèle B1..B12, VV, VH, MNT) ; 'Raster Sentinel-1' et 'Raster MNT' fournissent les autres capteurs comme couches distinctes, rééchantillonnées (bilinéaire) sur la grille du raster en entrée quand elles diffèrent (le journal l'indique). Sentinel-1 est une rétrodiffusion linéaire (COPERNICUS/S1_GRD_FLOAT ; 'L'entrée Sentinel-1 est en dB' convertit des données en dB) ; TerraMind a été entraîné sur des dB, TerraEmbed la convertit donc en dB (10 log10) avant les statistiques S1GRD de TerraMind v1. Le MNT est en mètres (une bande dont l'unité indique des pieds est convertie) ; les trous nodata du MNT et les zones qu'un raster de capteur ne couvre pas reçoivent la moyenne de pré-entraînement (une entrée neutre) et un avertissement ; un raster de capteur qui ne recouvre pas la zone est une erreur. Avec Earth Engine, tous les capteurs sont récupérés sur une même grille (Sentinel-1 depuis COPERNICUS/S1_GRD_FLOAT, le MNT depuis COPERNICUS/DEM/GLO30).
Zone d'intérêt : une emprise dans n'importe quel SCR (vide = tout le raster), ou des polygones ('Polygones de la zone d'intérêt' : une couche, ou seulement ses entités sélectionnées) : les pixels hors des polygones sont alors ignorés, les cellules de la grille entièrement à l'extérieur sont nodata, et le polygone du vecteur agrégé est la zone d'intérêt elle-même.
Bandes : laissez vide pour faire correspondre les bandes par leur nom (B1..B12, B01..B12, B8A, VV, VH, noms courants) ou pour utiliser les bandes du raster quand il en a exactement le nombre requis par le modèle ; sinon choisissez-les dans l'ordre du modèle (en ligne de commande, sous forme de liste séparée par des virgules : BANDS=1,2,3,4,5,6,7,8,9,10,11,12). Une bande choisie deux fois donne un avertissement.
Sorties : la grille d'embeddings et l'ACP sont des fichiers GeoTIFF (.tif) ; l'embedding agrégé a un champ par dimension (jusqu'à 1024), plus que ce que contient un shapefile : enregistrez-le en GeoPackage (.gpkg). Compression de la grille d'embeddings (avancé) : 'none' (par défaut) écrit la grille à peu près à sa taille brute (dimensions x cellules x 4 octets) et est la plus rapide à écrire et à lire ; les valeurs d'embedding se compressent à peine, donc 'DEFLATE' ne réduit le fichier que là où beaucoup de cellules sont vides (nodata), par exemple hors d'une zone polygonale, et est plus lent.
Un embedding agrégé nommé *.parquet est écrit par le runtime en GeoParquet 1.1 (l'embedding sous forme d'une colonne liste 'embedding', float32 ; tapez le nom : le sélecteur de fichiers ne liste que ce que le GDAL de QGIS écrit) ; il n'est ajouté comme couche que là où le GDAL de QGIS a le pilote Parquet.
Préparation des entrées : 'tile' découpe la zone en tuiles de 224 pixels (la mémoire reste bornée ; le bon choix pour les grandes zones) ; 'resize' redimensionne toute la zone à 224 pixels (une grille de 14x14 ; une zone agrandie plus de 4x donne un avertissement) ; 'auto' découpe en tuiles quand la zone dépasse une tuile.
Recouvrement des tuiles (mode tuiles) : 'none' découpe des tuiles jointives (la disposition de référence). Un modèle voit moins de contexte près du bord d'une tuile, donc des tuiles jointives laissent des raccords visibles dans la carte d'embeddings ; avec '25%' (pas de 160 px, environ 2x les tuiles et le temps) ou '50%' (pas de 112 px, environ 4x) les tuiles se recouvrent et chaque cellule de la grille est la moyenne des tuiles qui la couvrent, pondérée par sa distance aux bords de chaque tuile, si bien que la carte n'a pas de raccords. Les cellules et le géoréférencement de la grille et le vecteur agrégé (moyenne des tuiles pondérée par la surface) gardent leur sens.
Les rasters géographiques (par exemple EPSG:4326) sont reprojetés dans la zone UTM du centre de la zone, à peu près à la résolution de la source, pour que les cellules soient en mètres.
Les poids viennent du hub Hugging Face (en cache) ou d'un fichier local (avancé). 'Poids aléatoires' sert uniquement aux tests : les embeddings n'ont alors aucun sens, et les sorties le signalent dans leurs métadonnées.
</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_help.py" />
      <source>Device: 'auto' uses %s. If CUDA or MPS is asked for but not usable, the run continues on the CPU and the log says why. Batch size 0: %s.
</source>
      <translation>Périphérique : 'auto' utilise %s. Si CUDA ou MPS est demandé mais inutilisable, le traitement continue sur le CPU et le journal explique pourquoi. Taille de lot 0 : %s.
</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_help.py" />
      <source>Precision: 'auto' (the default) runs bf16 on a CPU with native bf16 (AVX512-BF16 or AMX; the log and Check environment say whether this one has it) and on a CUDA GPU that supports it, fp32 elsewhere: on such CPUs up to 2-5x faster, with every pooled vector and grid cell at cosine similarity &gt;= 0.999 to fp32. 'fp32' gives the exact reference values. 'bf16' asked on a CPU without native bf16 runs in fp32 (it would be many times slower) and the log says so; fp16 applies on CUDA only. Fast mode (int8): dynamic int8 quantisation of the linear layers on the CPU, with embeddings at cosine similarity &gt;= 0.99 to fp32. The precision used is in the outputs' metadata and the report.
Dask scheduler (advanced): run the model on a Dask cluster's workers (tcp://host:port or a scheduler file) or on N local worker processes (local:N); outputs equal a local run. Every worker needs the same TerraEmbed and runtime, the weights and read access to the input (README, 'Running on a cluster').
Cancel stops within one batch and leaves no output file.</source>
      <translation>Précision : 'auto' (par défaut) s'exécute en bf16 sur un CPU avec bf16 natif (AVX512-BF16 ou AMX ; le journal et 'Vérifier l'environnement' indiquent si celui-ci l'a) et sur un GPU CUDA qui le prend en charge, en fp32 ailleurs : sur ces CPU jusqu'à 2 à 5x plus rapide, avec chaque vecteur agrégé et chaque cellule de la grille à une similarité cosinus &gt;= 0,999 avec fp32. 'fp32' donne les valeurs de référence exactes. 'bf16' demandé sur un CPU sans bf16 natif s'exécute en fp32 (ce serait bien plus lent) et le journal le signale ; fp16 ne s'applique que sur CUDA. Mode rapide (int8) : quantification int8 dynamique des couches linéaires sur le CPU, avec des embeddings à une similarité cosinus &gt;= 0,99 avec fp32. La précision utilisée figure dans les métadonnées des sorties et dans le rapport.
Ordonnanceur Dask (avancé) : exécute le modèle sur les workers d'un cluster Dask (tcp://hôte:port ou un fichier d'ordonnanceur) ou sur N processus workers locaux (local:N) ; les sorties sont identiques à un traitement local. Chaque worker a besoin du même TerraEmbed et du même runtime, des poids et d'un accès en lecture à l'entrée (README, 'Running on a cluster').
L'annulation s'arrête en moins d'un lot et ne laisse aucun fichier de sortie.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <location filename="../ui/results.py" />
      <source>embedding grid</source>
      <translation>grille d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <location filename="../algorithms/pca.py" />
      <location filename="../engine/report/embedding.py" />
      <source>PCA raster</source>
      <translation>raster d'ACP</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <location filename="../algorithms/fetch_imagery.py" />
      <source>composite</source>
      <translation>composite</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <location filename="../ui/results.py" />
      <source>pooled embedding</source>
      <translation>embedding agrégé</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <source>Periods need Google Earth Engine as the imagery source (one composite per period). For embedding rasters you already have, use Build a series (terraembed:build_series); leave Periods empty for one run.</source>
      <translation>Les périodes nécessitent Google Earth Engine comme source d'imagerie (un composite par période). Pour des rasters d'embeddings que vous avez déjà, utilisez Construire une série (terraembed:build_series) ; laissez Périodes vide pour une seule exécution.</translation>
    </message>
    <message>
      <location filename="../algorithms/embed_job.py" />
      <source>Choose an input raster layer (or set 'Imagery source' to Google Earth Engine).</source>
      <translation>Choisissez une couche raster en entrée (ou réglez 'Source de l'imagerie' sur Google Earth Engine).</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Fetch AlphaEarth embeddings</source>
      <translation>Récupérer les embeddings AlphaEarth</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Fetches Google DeepMind's AlphaEarth Foundations embeddings (Earth Engine %s: one 64-dimensional unit vector per 10 m cell and calendar year, published for %d-%d) for an area of interest and a year, as a 64-band float32 Cloud Optimized GeoTIFF (bands A00..A63) on the same explicit grid as 'Fetch Earth Engine composite' (the UTM zone of the area's centre at the chosen pixel size), with the chunked requests, retries, limits and on-disk cache of that fetch. Cells AlphaEarth masks are nodata (NaN). The file carries TerraEmbed's embedding tags (model 'alphaearth', 64 dimensions, the year, the collection), so PCA, similarity, clustering, classification, change and the Explore tool take it like a grid of 'Compute embeddings'; no model runs. A STAC Item beside it (&lt;name&gt;.stac.json) names the year, the collection, the licence and the attribution. A year the collection does not have over the area is refused with the years it has.

Years (YEARS, e.g. 2017..2025 or 2019,2021,2023; whole calendar years only; empty = the Year above): a series, one raster per year on exactly one grid, &lt;name&gt;_&lt;year&gt;.tif beside a series file &lt;name&gt;.vrt (the years' bands in order) that QGIS opens and that Change over time (terraembed:change_series) and the Explore timeline take. Each year is saved as soon as it is fetched: a failed or cancelled run keeps the years before it, and a new run with the same area and settings reuses them without a request (the log and the outputs count the years fetched, reused and skipped). A year the collection lacks over the area is named with the years it has, and stops the run or is skipped, as chosen. Cost: one fetch per year (years already in the imagery cache need no network).

On the grid of (GRID_LIKE, optional: e.g. a TerraMind embedding grid or the series file of Compute embeddings with periods): every year on exactly that raster's grid (CRS, transform and size; the area and pixel size above are not used), so the change maps of both series compare cell by cell. Cells of about 10 m are fetched on that grid itself; coarser cells (a model's grid cell is 16 x 16 pixels) are cut into cells of about 10 m, fetched, and each is the mean of the AlphaEarth vectors it covers (cells AlphaEarth masks left out), as the log says; this fetches (cell size / 10 m)^2 times more cells than the grid has.

Licence: %s; every use must carry the attribution "%s"

Google's int8 GeoTIFFs of the same embeddings (gs://alphaearth_foundations, Source Cooperative) need no fetch: the analysis algorithms read them as they are and de-quantise them.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.</source>
      <translation>Récupère les embeddings AlphaEarth Foundations de Google DeepMind (Earth Engine %s : un vecteur unitaire de 64 dimensions par cellule de 10 m et par année civile, publiés pour %d-%d) pour une emprise et une année, sous la forme d'un GeoTIFF optimisé pour le cloud (COG) float32 de 64 bandes (bandes A00..A63) sur la même grille explicite que « Récupérer un composite Earth Engine » (la zone UTM du centre de l'emprise, à la taille de pixel choisie), avec les requêtes par morceaux, les nouvelles tentatives, les limites et le cache disque de cette récupération. Les cellules masquées par AlphaEarth sont sans données (NaN). Le fichier porte les métadonnées d'embeddings de TerraEmbed (modèle « alphaearth », 64 dimensions, l'année, la collection) : l'ACP, la similarité, le regroupement, la classification, le changement et l'outil Explorer le prennent comme une grille de « Calculer les embeddings » ; aucun modèle n'est exécuté. Un Item STAC à côté de lui (&lt;nom&gt;.stac.json) indique l'année, la collection, la licence et l'attribution. Une année que la collection n'a pas sur l'emprise est refusée, avec les années qu'elle a.

Années (YEARS, p. ex. 2017..2025 ou 2019,2021,2023 ; années civiles entières uniquement ; vide = l'année ci-dessus) : une série, un raster par année sur exactement une grille, &lt;nom&gt;_&lt;année&gt;.tif à côté d'un fichier de série &lt;nom&gt;.vrt (les bandes des années dans l'ordre) que QGIS ouvre et que Changement dans le temps (terraembed:change_series) et la chronologie de l'outil Explorer acceptent. Chaque année est enregistrée dès qu'elle est récupérée : une exécution échouée ou annulée garde les années précédentes, et une nouvelle exécution avec la même emprise et les mêmes réglages les réutilise sans requête (le journal et les sorties comptent les années récupérées, réutilisées et ignorées). Une année absente de la collection sur l'emprise est nommée avec les années disponibles, et arrête l'exécution ou est ignorée, selon le choix. Coût : une récupération par année (les années déjà dans le cache d'imagerie ne demandent aucun accès réseau).

Sur la grille de (GRID_LIKE, facultatif : p. ex. une grille d'embeddings TerraMind ou le fichier de série de Calculer les embeddings avec des périodes) : chaque année sur exactement la grille de ce raster (SCR, transformation et taille ; l'emprise et la taille de pixel ci-dessus ne servent pas), de sorte que les cartes de changement des deux séries se comparent cellule par cellule. Les cellules d'environ 10 m sont récupérées sur cette grille même ; les cellules plus grossières (une cellule de la grille d'un modèle fait 16 x 16 pixels) sont découpées en cellules d'environ 10 m, récupérées, et chacune est la moyenne des vecteurs AlphaEarth qu'elle couvre (les cellules masquées par AlphaEarth sont écartées), comme le dit le journal ; cela récupère (taille de cellule / 10 m)^2 fois plus de cellules que la grille n'en a.

Licence : %s ; toute utilisation doit porter la mention « %s »

Les GeoTIFF int8 de Google pour ces mêmes embeddings (gs://alphaearth_foundations, Source Cooperative) ne demandent aucune récupération : les algorithmes d'analyse les lisent tels quels et les déquantifient.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Area of interest (not needed with a grid raster)</source>
      <translation>Emprise (inutile avec un raster de grille)</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Year</source>
      <translation>Année</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Years of a series (empty = the year above), e.g. 2017..2025</source>
      <translation>Années d'une série (vide = l'année ci-dessus), p. ex. 2017..2025</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>On the grid of this raster (optional: e.g. a TerraMind grid or series)</source>
      <translation>Sur la grille de ce raster (facultatif : p. ex. une grille ou une série TerraMind)</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Pixel size (m; AlphaEarth's is 10)</source>
      <translation>Taille de pixel (m ; celle d'AlphaEarth est de 10)</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>AlphaEarth embeddings</source>
      <translation>Embeddings AlphaEarth</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>AlphaEarth tiles mosaicked</source>
      <translation>Tuiles AlphaEarth mosaïquées</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Years: %s</source>
      <translation>Années : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Years: AlphaEarth starts in %d; %s is earlier. Type years from %d on, e.g. %d..%d.</source>
      <translation>Années : AlphaEarth commence en %d ; %s est antérieure. Saisissez des années à partir de %d, p. ex. %d..%d.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>The grid raster '%s' is not a local file that the runtime can read. Save it as a GeoTIFF first (Export &gt; Save As) and use that layer.</source>
      <translation>Le raster de grille '%s' n'est pas un fichier local que le runtime peut lire. Enregistrez-le d'abord en GeoTIFF (Exporter &gt; Enregistrer sous) et utilisez cette couche.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>AlphaEarth needs an area of interest: draw or choose an extent, or choose a grid raster.</source>
      <translation>AlphaEarth a besoin d'une emprise : dessinez ou choisissez une étendue, ou choisissez un raster de grille.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>The area of interest is not used: the grid raster gives the area and the grid.</source>
      <translation>L'emprise n'est pas utilisée : le raster de grille donne l'emprise et la grille.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>Earth Engine returned no AlphaEarth embeddings.</source>
      <translation>Earth Engine n'a renvoyé aucun embedding AlphaEarth.</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_alphaearth.py" />
      <source>AlphaEarth %s from %s tile(s) of %s. %s (%s)</source>
      <translation>AlphaEarth %s à partir de %s tuile(s) de %s. %s (%s)</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <source>Fetch Earth Engine composite</source>
      <translation>Récupérer un composite Earth Engine</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <location filename="../ui/source_box.py" />
      <source>Imagery</source>
      <translation>Imagerie</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <source>Fetches a composite from Google Earth Engine for an area of interest and a date range, as a float32 Cloud Optimized GeoTIFF (DEFLATE, averaged overviews) on an explicit grid (the UTM zone of the area's centre at the chosen pixel size): Sentinel-2 surface reflectance (COPERNICUS/S2_SR_HARMONIZED, 12 bands B1..B12 without B10, images under the cloud limit, optional per-pixel cloud mask) or Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV and VH in linear units, IW mode preferred, optional orbit pass) or the Copernicus DEM (COPERNICUS/DEM/GLO30, a mosaic of its 30 m tiles, elevation in metres; no date filter), the third sensor of TerraMind on S2 + S1 + DEM. Large areas are fetched in chunks under Earth Engine's request limits and stitched exactly; results are cached on disk, so a repeated request needs no network. The provenance (collection, images used, filters) is written to the log, the file's metadata and a STAC Item beside it (&lt;name&gt;.stac.json: footprint, date range, collection). The result can feed 'Compute embeddings' as a raster layer.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.

</source>
      <translation>Récupère un composite depuis Google Earth Engine pour une zone d'intérêt et une période, sous forme de GeoTIFF optimisé pour le cloud (COG) float32 (DEFLATE, aperçus moyennés) sur une grille explicite (la zone UTM du centre de la zone à la taille de pixel choisie) : réflectance de surface Sentinel-2 (COPERNICUS/S2_SR_HARMONIZED, 12 bandes B1..B12 sans B10, images sous la limite de nuages, masque de nuages par pixel en option) ou Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV et VH en unités linéaires, mode IW privilégié, sens d'orbite en option) ou le MNT Copernicus (COPERNICUS/DEM/GLO30, une mosaïque de ses tuiles de 30 m, altitude en mètres ; pas de filtre de date), le troisième capteur de TerraMind sur S2 + S1 + MNT. Les grandes zones sont récupérées par morceaux sous les limites de requête d'Earth Engine et assemblées exactement ; les résultats sont mis en cache sur disque, donc une requête répétée n'a pas besoin du réseau. La provenance (collection, images utilisées, filtres) est écrite dans le journal, dans les métadonnées du fichier et dans un Item STAC à côté de lui (&lt;nom&gt;.stac.json : emprise, période, collection). Le résultat peut alimenter 'Calculer les embeddings' comme couche raster.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.

</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/aoi_box.py" />
      <source>Area of interest</source>
      <translation>Zone d'intérêt</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Composite</source>
      <translation>Composite</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Images in the composite</source>
      <translation>Images du composite</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <source>Composite of %s image(s) from %s, %s to %s</source>
      <translation>Composite de %s image(s) de %s, du %s au %s</translation>
    </message>
    <message>
      <location filename="../algorithms/fetch_imagery.py" />
      <source>Earth Engine returned no composite.</source>
      <translation>Earth Engine n'a renvoyé aucun composite.</translation>
    </message>
    <message>
      <location filename="../algorithms/imagery_params.py" />
      <source>Sentinel-1 raster (TerraMind on S2 + S1: VV, VH linear; empty = from the input raster)</source>
      <translation>Raster Sentinel-1 (TerraMind sur S2 + S1 : VV, VH linéaires ; vide = depuis le raster en entrée)</translation>
    </message>
    <message>
      <location filename="../algorithms/imagery_params.py" />
      <source>DEM raster (TerraMind on S2 + S1 + DEM: metres; empty = from the input raster)</source>
      <translation>Raster MNT (TerraMind sur S2 + S1 + MNT : mètres ; vide = depuis le raster en entrée)</translation>
    </message>
    <message>
      <location filename="../algorithms/imagery_params.py" />
      <source>%s needs two bands (VV, VH in linear backscatter); the raster '%s' has %d.</source>
      <translation>%s demande deux bandes (VV, VH en rétrodiffusion linéaire) ; le raster '%s' en a %d.</translation>
    </message>
    <message>
      <location filename="../algorithms/imagery_params.py" />
      <location filename="../algorithms/inputs.py" />
      <source>Exporting the area of interest of '%s' for the runtime...</source>
      <translation>Export de la zone d'intérêt de '%s' pour le runtime...</translation>
    </message>
    <message>
      <location filename="../algorithms/imagery_params.py" />
      <source>Input: %s, bands %s -&gt; %s</source>
      <translation>Entrée : %s, bandes %s -&gt; %s</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>%s (from this raster: %s)</source>
      <translation>%s (depuis ce raster : %s)</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source> For %s, give each sensor's own raster (%s).</source>
      <translation> Pour %s, fournissez le raster propre à chaque capteur (%s).</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>%s needs %d bands in this order: %s. The raster '%s' has %d band(s)%s, which could not be matched by name. Choose the bands in the 'Bands' parameter (in model order), or use a raster with exactly %d bands.%s</source>
      <translation>%s demande %d bandes dans cet ordre : %s. Le raster '%s' a %d bande(s)%s, qui n'ont pas pu être associées par leur nom. Choisissez les bandes dans le paramètre 'Bandes' (dans l'ordre du modèle), ou utilisez un raster avec exactement %d bandes.%s</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source> (recognised: %s)</source>
      <translation> (reconnues : %s)</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>%s needs %d bands in this order: %s. You selected %d band(s). Select exactly %d bands in the 'Bands' parameter, in model order.</source>
      <translation>%s demande %d bandes dans cet ordre : %s. Vous avez sélectionné %d bande(s). Sélectionnez exactement %d bandes dans le paramètre 'Bandes', dans l'ordre du modèle.</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>Band(s) %s do not exist: the raster has %d bands.</source>
      <translation>La ou les bandes %s n'existent pas : le raster a %d bandes.</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>%s: the model %s reads no separate %s raster. Leave %s empty, or choose a TerraMind model on several sensors (S2 + S1, S2 + S1 + DEM).</source>
      <translation>%s : le modèle %s ne lit pas de raster %s séparé. Laissez %s vide, ou choisissez un modèle TerraMind sur plusieurs capteurs (S2 + S1, S2 + S1 + MNT).</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>%s raster: %s, bands %s</source>
      <translation>Raster %s : %s, bandes %s</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>The area of interest does not overlap the raster '%s'. Draw or choose an area inside the raster's extent (%s, in %s).</source>
      <translation>La zone d'intérêt ne recouvre pas le raster '%s'. Dessinez ou choisissez une zone à l'intérieur de l'emprise du raster (%s, en %s).</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>its CRS</source>
      <translation>son SCR</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>The area of interest covers less than one pixel of '%s' (pixel size %g x %g). Choose a larger area.</source>
      <translation>La zone d'intérêt couvre moins d'un pixel de '%s' (taille de pixel %g x %g). Choisissez une zone plus grande.</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>Could not read the raster layer '%s'.</source>
      <translation>Impossible de lire la couche raster '%s'.</translation>
    </message>
    <message>
      <location filename="../algorithms/inputs.py" />
      <source>Could not export the raster layer '%s' for processing (error %s).</source>
      <translation>Impossible d'exporter la couche raster '%s' pour le traitement (erreur %s).</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Install or update runtime</source>
      <translation>Installer ou mettre à jour le runtime</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Creates or updates the TerraEmbed runtime: a separate Python environment (venv) with torch, terratorch, huggingface_hub, earthengine-api, rasterio and scikit-learn at the exact versions of the plugin's lock file. QGIS's own Python is never modified: the models run in a worker process that uses this environment.

Torch build: 'auto' picks the CUDA build when an NVIDIA driver is present, else the CPU build (from the PyTorch CPU index; if that index cannot be reached, PyPI's build, which also runs on the CPU). The first install downloads about 1 GB (CPU) to 5 GB (CUDA); a second run with nothing to change takes seconds. Packages the lock does not name are removed.

Folder: empty = the folder in the settings, else one per Python version in your user data folder, shared by all QGIS profiles (Linux ~/.local/share/terraembed/py3.11, Windows %LOCALAPPDATA%\terraembed\py3.12, macOS ~/Library/Application Support/terraembed/py3.12); a runtime made earlier in the QGIS profile is reused when it has the same Python version.

Platforms: Linux x86_64 and aarch64, Windows x86_64, macOS on Apple silicon; Python 3.11 to 3.13 (not Intel Macs: PyTorch has no build for them).</source>
      <translation>Crée ou met à jour le runtime TerraEmbed : un environnement Python séparé (venv) avec torch, terratorch, huggingface_hub, earthengine-api, rasterio et scikit-learn aux versions exactes du fichier de verrou du plugin. Le Python de QGIS n'est jamais modifié : les modèles s'exécutent dans un processus worker qui utilise cet environnement.

Build de torch : 'auto' choisit le build CUDA quand un pilote NVIDIA est présent, sinon le build CPU (depuis l'index CPU de PyTorch ; si cet index est injoignable, le build de PyPI, qui fonctionne aussi sur le CPU). La première installation télécharge environ 1 Go (CPU) à 5 Go (CUDA) ; une deuxième exécution sans rien à changer prend quelques secondes. Les paquets que le verrou ne nomme pas sont supprimés.

Dossier : vide = le dossier des paramètres, sinon un par version de Python dans votre dossier de données utilisateur, partagé par tous les profils QGIS (Linux ~/.local/share/terraembed/py3.11, Windows %LOCALAPPDATA%\terraembed\py3.12, macOS ~/Library/Application Support/terraembed/py3.12) ; un runtime créé auparavant dans le profil QGIS est réutilisé s'il a la même version de Python.

Plateformes : Linux x86_64 et aarch64, Windows x86_64, macOS sur Apple silicon ; Python 3.11 à 3.13 (pas les Mac Intel : PyTorch n'a pas de build pour eux).</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Runtime folder (empty = default)</source>
      <translation>Dossier du runtime (vide = par défaut)</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Torch build</source>
      <translation>Build de torch</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Base Python used to create the venv (empty = automatic)</source>
      <translation>Python de base pour créer le venv (vide = automatique)</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Also install the test tools</source>
      <translation>Installer aussi les outils de test</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <location filename="../ui/settings_dialog.py" />
      <source>Runtime Python</source>
      <translation>Python du runtime</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Runtime ready</source>
      <translation>Runtime prêt</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Runtime folder: %s</source>
      <translation>Dossier du runtime : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Cancelled. Run the algorithm again to finish the installation.</source>
      <translation>Annulé. Relancez l'algorithme pour terminer l'installation.</translation>
    </message>
    <message>
      <location filename="../algorithms/install_runtime.py" />
      <source>Runtime ready (%s build): %s</source>
      <translation>Runtime prêt (build %s) : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Bands in model order (empty = match by name; command line: BANDS=1,2,3...)</source>
      <translation>Bandes dans l'ordre du modèle (vide = correspondance par nom ; en ligne de commande : BANDS=1,2,3...)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/model_box.py" />
      <source>Model</source>
      <translation>Modèle</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Sentinel-1 input is in dB: convert to linear</source>
      <translation>L'entrée Sentinel-1 est en dB : convertir en linéaire</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Dask scheduler (tcp://host:port, scheduler file, local:N; empty = settings, else this machine)</source>
      <translation>Ordonnanceur Dask (tcp://hôte:port, fichier d'ordonnanceur, local:N ; vide = paramètres, sinon cette machine)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/dock_boxes.py" />
      <source>Device</source>
      <translation>Périphérique</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Batch size (0 = default: %s)</source>
      <translation>Taille de lot (0 = par défaut : %s)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Precision (auto = bf16 where the CPU or GPU computes it natively, else fp32; int8 = fast CPU)</source>
      <translation>Précision (auto = bf16 là où le CPU ou le GPU le calcule nativement, sinon fp32 ; int8 = CPU rapide)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Pooling (TerraMind)</source>
      <translation>Agrégation (TerraMind)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Weights file (empty = settings or Hugging Face hub/cache)</source>
      <translation>Fichier de poids (vide = paramètres ou hub/cache Hugging Face)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Offline (use cached weights only)</source>
      <translation>Hors ligne (poids en cache uniquement)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Random weights (testing only: embeddings are meaningless)</source>
      <translation>Poids aléatoires (tests uniquement : les embeddings n'ont aucun sens)</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>Bands: %s</source>
      <translation>Bandes : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>The weights file %s is a folder; a weights file is expected. Choose the file itself (a .pth or .safetensors file of the model), or leave the option empty to use the Hugging Face hub/cache.</source>
      <translation>Le fichier de poids %s est un dossier ; un fichier de poids est attendu. Choisissez le fichier lui-même (un fichier .pth ou .safetensors du modèle), ou laissez l'option vide pour utiliser le hub/cache Hugging Face.</translation>
    </message>
    <message>
      <location filename="../algorithms/model_params.py" />
      <source>The weights file %s does not exist. Choose an existing file or leave the option empty to use the Hugging Face hub/cache.</source>
      <translation>Le fichier de poids %s n'existe pas. Choisissez un fichier existant ou laissez l'option vide pour utiliser le hub/cache Hugging Face.</translation>
    </message>
    <message>
      <location filename="../algorithms/outputs.py" />
      <source>The %s is written as GeoParquet (%s). This QGIS's GDAL has no Parquet driver, so it is not added as a layer: open it with GeoPandas, DuckDB or a QGIS built with GDAL's Parquet driver, or save the output as .gpkg to see it here.</source>
      <translation>Le %s est écrit en GeoParquet (%s). Le GDAL de ce QGIS n'a pas de pilote Parquet, il n'est donc pas ajouté comme couche : ouvrez-le avec GeoPandas, DuckDB ou un QGIS compilé avec le pilote Parquet de GDAL, ou enregistrez la sortie en .gpkg pour la voir ici.</translation>
    </message>
    <message>
      <location filename="../algorithms/outputs.py" />
      <source>%d of %d features could be read back</source>
      <translation>%d entités sur %d ont pu être relues</translation>
    </message>
    <message>
      <location filename="../algorithms/outputs.py" />
      <source>Could not write the %s %s (%s); nothing was written.</source>
      <translation>Impossible d'écrire la sortie « %s » %s (%s) ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../algorithms/outputs.py" />
      <source>Could not write the %s (%s); nothing was written.</source>
      <translation>Impossible d'écrire la sortie « %s » (%s) ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>PCA of an embedding raster</source>
      <translation>ACP d'un raster d'embeddings</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>Reduces an embedding raster (or any multiband raster) to its first k principal components. The PCA is fitted on a random sample of valid cells (reproducible with the seed) and applied block by block, so memory does not grow with the raster. Optional whitening scales each component to unit variance. The output is float32 with one band per component, band names with the explained variance, and the explained variance ratios in the metadata and the log. With 3 components it is shown as RGB. It is written as the PCA of 'Compute embeddings' is: a Cloud Optimized GeoTIFF (DEFLATE, averaged overviews).</source>
      <translation>Réduit un raster d'embeddings (ou tout raster multibande) à ses k premières composantes principales. L'ACP est ajustée sur un échantillon aléatoire de cellules valides (reproductible avec la graine) et appliquée bloc par bloc, la mémoire ne croît donc pas avec le raster. Le blanchiment facultatif ramène chaque composante à une variance unitaire. La sortie est en float32 avec une bande par composante, des noms de bandes indiquant la variance expliquée, et les ratios de variance expliquée dans les métadonnées et le journal. Avec 3 composantes, elle est affichée en RVB. Elle est écrite comme l'ACP de « Calculer les embeddings » : un GeoTIFF optimisé pour le cloud (COG ; DEFLATE, aperçus moyennés).</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>the explained variance per component (bars) and cumulated (line), with the numbers in a table.</source>
      <translation>la variance expliquée par composante (barres) et cumulée (courbe), avec les valeurs dans une table.</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>Components (at most the raster's bands)</source>
      <translation>Composantes (au plus le nombre de bandes du raster)</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>Whiten</source>
      <translation>Blanchir</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Cells sampled for fitting</source>
      <translation>Cellules échantillonnées pour l'ajustement</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Principal components</source>
      <translation>Composantes principales</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>Explained variance ratio (JSON)</source>
      <translation>Ratio de variance expliquée (JSON)</translation>
    </message>
    <message>
      <location filename="../algorithms/pca.py" />
      <source>Explained variance ratio: %s</source>
      <translation>Ratio de variance expliquée : %s</translation>
    </message>
    <message>
      <location filename="../algorithms/provider.py" />
      <source>TerraEmbed: geospatial foundation-model embeddings</source>
      <translation>TerraEmbed : embeddings de modèles de fondation géospatiaux</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods (Earth Engine; empty = the start and end dates): a series, one raster per period on exactly one grid, plus a series file &lt;name&gt;.vrt that QGIS opens (the periods' bands in order) and that lists the periods with their dates; the periods' files are &lt;name&gt;_&lt;label&gt;.tif beside it. Syntax: %s. Cost: one run per period (a series of N periods costs N runs; imagery already in the cache is not fetched again), memory as for one period whatever the series' length. Each period is saved as soon as it is done: a failed or cancelled run keeps the periods finished before it, and a new run with the same area, model and settings reuses them (the log and the outputs count the periods computed, reused and skipped). A period without imagery stops the run or is skipped, as chosen. With periods only the rasters and the series are written (no PCA, pooled vector, composite copy or report).</source>
      <translation>Périodes (Earth Engine ; vide = les dates de début et de fin) : une série, un raster par période sur exactement une même grille, plus un fichier de série &lt;nom&gt;.vrt que QGIS ouvre (les bandes des périodes dans l'ordre) et qui liste les périodes avec leurs dates ; les fichiers des périodes sont &lt;nom&gt;_&lt;libellé&gt;.tif à côté. Syntaxe : %s. Coût : une exécution par période (une série de N périodes coûte N exécutions ; l'imagerie déjà en cache n'est pas récupérée à nouveau), la mémoire comme pour une seule période quelle que soit la longueur de la série. Chaque période est enregistrée dès qu'elle est terminée : une exécution échouée ou annulée garde les périodes terminées avant elle, et une nouvelle exécution avec la même zone, le même modèle et les mêmes paramètres les réutilise (le journal et les sorties comptent les périodes calculées, réutilisées et ignorées). Une période sans imagerie arrête l'exécution ou est ignorée, selon le choix. Avec des périodes, seuls les rasters et la série sont écrits (pas d'ACP, de vecteur agrégé, de copie du composite ni de rapport).</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Earth Engine: periods of a series (empty = the dates above), e.g. 2019..2025</source>
      <translation>Earth Engine : périodes d'une série (vide = les dates ci-dessus), par exemple 2019..2025</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Earth Engine: a period without imagery</source>
      <translation>Earth Engine : une période sans imagerie</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Series (every period's bands, in order)</source>
      <translation>Série (les bandes de chaque période, dans l'ordre)</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods computed</source>
      <translation>Périodes calculées</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods reused</source>
      <translation>Périodes réutilisées</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods skipped (no imagery)</source>
      <translation>Périodes ignorées (pas d'imagerie)</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>A series needs the %s output: its name names the series (name.vrt) and the periods' files (name_&lt;label&gt;.tif).</source>
      <translation>Une série nécessite la sortie %s : son nom donne celui de la série (nom.vrt) et des fichiers des périodes (nom_&lt;libellé&gt;.tif).</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <location filename="../ui/results.py" />
      <source>series</source>
      <translation>série</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>A series of %d periods (%s), one run each, saved as each is done; a period without imagery: %s.</source>
      <translation>Une série de %d périodes (%s), une exécution chacune, enregistrées au fur et à mesure ; une période sans imagerie : %s.</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>The series was not written, but these periods' files are complete and the next run with the same settings reuses them: %s.</source>
      <translation>La série n'a pas été écrite, mais les fichiers de ces périodes sont complets et la prochaine exécution avec les mêmes paramètres les réutilise : %s.</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods computed: %d%s</source>
      <translation>Périodes calculées : %d%s</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods reused: %d%s</source>
      <translation>Périodes réutilisées : %d%s</translation>
    </message>
    <message>
      <location filename="../algorithms/series.py" />
      <source>Periods skipped: %d%s</source>
      <translation>Périodes ignorées : %d%s</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/analysis/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Similarity search</source>
      <translation>Recherche par similarité</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Cosine similarity (-1..1) of every cell of an embedding raster to a reference embedding: either the mean of the cells under the features of a point or polygon layer (points take the cell they fall in, polygons the cells whose centres they contain), or the mean of pooled vectors stored in the features' emb_000... fields (e.g. the output of 'Compute embeddings' or 'Embeddings for features', which must come from the same model). With a field marking negative examples (features whose value is below 0; the others, NULL included, are the reference), the result is cos(cell, mean of the positive examples) - cos(cell, mean of the negative examples), in -2..2: cells like the negatives drop. With a threshold (-1..1, or -2..2 with negative examples), also a mask raster (1 = similar, 0 = not, 255 = nodata) and the polygons of the similar areas. Processed block by block.</source>
      <translation>Similarité cosinus (-1..1) de chaque cellule d'un raster d'embeddings avec un embedding de référence : soit la moyenne des cellules sous les entités d'une couche de points ou de polygones (les points prennent la cellule où ils tombent, les polygones les cellules dont ils contiennent le centre), soit la moyenne des vecteurs agrégés stockés dans les champs emb_000... des entités (par exemple la sortie de 'Calculer les embeddings' ou de 'Embeddings des entités', qui doit venir du même modèle). Avec un champ marquant les exemples négatifs (entités dont la valeur est inférieure à 0 ; les autres, NULL compris, forment la référence), le résultat est cos(cellule, moyenne des exemples positifs) - cos(cellule, moyenne des exemples négatifs), dans -2..2 : les cellules semblables aux négatifs baissent. Avec un seuil (-1..1, ou -2..2 avec des exemples négatifs), aussi un raster masque (1 = semblable, 0 = non, 255 = nodata) et les polygones des zones semblables. Traitement bloc par bloc.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>the distribution of the similarity (histogram, the threshold marked), the share of cells at or above the threshold, and the reference (and negative) features and cells used.</source>
      <translation>la distribution de la similarité (histogramme, seuil marqué), la part des cellules égales ou supérieures au seuil, et les entités et cellules de référence (et négatives) utilisées.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Reference features</source>
      <translation>Entités de référence</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Reference embedding</source>
      <translation>Embedding de référence</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Threshold for the mask (empty = no mask; -1..1, or -2..2 with negative examples)</source>
      <translation>Seuil du masque (vide = pas de masque ; -1..1, ou -2..2 avec des exemples négatifs)</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Similarity</source>
      <translation>Similarité</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Similar mask</source>
      <translation>Masque des zones semblables</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Similar areas</source>
      <translation>Zones semblables</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Cells in the reference</source>
      <translation>Cellules de la référence</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>The reference layer has no emb_000... fields. Use 'Mean of the cells under the features', or a layer made by Compute embeddings.</source>
      <translation>La couche de référence n'a pas de champs emb_000... Utilisez 'Moyenne des cellules sous les entités', ou une couche produite par 'Calculer les embeddings'.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>No reference feature has all its emb_ fields filled.</source>
      <translation>Aucune entité de référence n'a tous ses champs emb_ remplis.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>The reference layer has no features with a geometry.</source>
      <translation>La couche de référence n'a aucune entité avec une géométrie.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>All %d reference features are negative examples (their '%s' is below 0). Mark at least one positive example (a value of 0 or more, or NULL) or choose no sign field.</source>
      <translation>Les %d entités de référence sont toutes des exemples négatifs (leur '%s' est inférieur à 0). Marquez au moins un exemple positif (une valeur de 0 ou plus, ou NULL) ou ne choisissez pas de champ de signe.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Choose the reference features.</source>
      <translation>Choisissez les entités de référence.</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>similarity raster</source>
      <translation>raster de similarité</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>mask</source>
      <translation>masque</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>similar areas</source>
      <translation>zones semblables</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>A mask or polygons need a threshold: set 'Threshold' (e.g. 0.8).</source>
      <translation>Un masque ou des polygones demandent un seuil : réglez 'Seuil' (par exemple 0.8).</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>%d positive and %d negative examples</source>
      <translation>%d exemples positifs et %d négatifs</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Without negative examples the threshold (THRESHOLD)</source>
      <translation>Sans exemples négatifs, le seuil (THRESHOLD)</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source> Thresholds beyond that need negative examples (SIGN_FIELD).</source>
      <translation> Les seuils au-delà demandent des exemples négatifs (SIGN_FIELD).</translation>
    </message>
    <message>
      <location filename="../algorithms/similarity.py" />
      <source>Similarity: min %.3f, mean %.3f, max %.3f</source>
      <translation>Similarité : min %.3f, moyenne %.3f, max %.3f</translation>
    </message>
    <message>
      <location filename="../engine/analysis/alphaearth.py" />
      <source>The %s %r is AlphaEarth embeddings in Google's int8 distribution (%s): its values are de-quantised as sign(v) * (v / 127.5)^2, -128 is nodata. %s (%s).</source>
      <translation>Le %s %r contient des embeddings AlphaEarth dans la distribution int8 de Google (%s) : ses valeurs sont dé-quantifiées selon sign(v) * (v / 127.5)^2, -128 est nodata. %s (%s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/alphaearth.py" />
      <source>The %s %r is signed 8-bit but not AlphaEarth's int8 distribution (%s), so its values are used as they are, not de-quantised.</source>
      <translation>Le %s %r est en entiers signés sur 8 bits mais n'est pas la distribution int8 d'AlphaEarth (%s), ses valeurs sont donc utilisées telles quelles, sans dé-quantification.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/apply_classifier.py" />
      <source>Classifier: %s, fitted on %s.</source>
      <translation>Classifieur : %s, ajusté sur %s.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>input raster</source>
      <translation>raster en entrée</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The %s %r does not exist. Choose an existing raster file.</source>
      <translation>Le %s %r n'existe pas. Choisissez un fichier raster existant.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The %s %r has no bands.</source>
      <translation>Le %s %r n'a aucune bande.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>'Compute embeddings' (terraembed:embed)</source>
      <translation>'Calculer les embeddings' (terraembed:embed)</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The %s %r has only 1 band, so it is not an embedding raster (one band per embedding dimension, e.g. 768). %s works on embeddings: make an embedding grid with %s and use that.</source>
      <translation>Le %s %r n'a qu'une bande, ce n'est donc pas un raster d'embeddings (une bande par dimension d'embedding, par exemple 768). %s travaille sur des embeddings : produisez une grille d'embeddings avec %s et utilisez-la.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>%s: embeddings of %s, %s dimensions (STAC sidecar %s).</source>
      <translation>%s : embeddings de %s, %s dimensions (fichier STAC associé %s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>an unnamed model</source>
      <translation>un modèle sans nom</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The STAC sidecar %s says %d dimensions but the %s %r has %d bands; the sidecar belongs to another raster. Delete it or compute the embeddings again.</source>
      <translation>Le fichier STAC associé %s indique %d dimensions mais le %s %r a %d bandes ; ce fichier appartient à un autre raster. Supprimez-le ou calculez à nouveau les embeddings.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The %s %r has no TERRAEMBED_* metadata, so it was not made by %s; %s treats its %d bands as embedding dimensions. If it is imagery (e.g. reflectance), compute embeddings first.</source>
      <translation>Le %s %r n'a pas de métadonnées TERRAEMBED_*, il n'a donc pas été produit par %s ; %s traite ses %d bandes comme des dimensions d'embedding. S'il s'agit d'imagerie (par exemple de réflectance), calculez d'abord les embeddings.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The %s %r holds no data in %s: every cell there is NaN, ±Inf or nodata, so no cell has a whole embedding. Compute the embeddings again, or choose another raster.</source>
      <translation>Le %s %r ne contient aucune donnée dans %s : chaque cellule y est NaN, ±Inf ou nodata, aucune cellule n'a donc d'embedding complet. Calculez à nouveau les embeddings, ou choisissez un autre raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/blocks.py" />
      <source>The raster %r has no valid cells (every cell is NaN, ±Inf or nodata in at least one band). Check its nodata value, or choose another raster.</source>
      <translation>Le raster %r n'a aucune cellule valide (chaque cellule est NaN, ±Inf ou nodata dans au moins une bande). Vérifiez sa valeur nodata, ou choisissez un autre raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>Cannot transform the 'after' raster's extent to the 'before' raster's CRS (%s).</source>
      <translation>Impossible de transformer l'emprise du raster 'after' dans le SCR du raster 'before' (%s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>Change detection</source>
      <translation>Détection de changement</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>'before' raster</source>
      <translation>raster 'before'</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>'after' raster</source>
      <translation>raster 'after'</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>The rasters have different numbers of bands (before %d, after %d): compare embeddings of the same model.</source>
      <translation>Les rasters n'ont pas le même nombre de bandes (before %d, after %d) : comparez des embeddings du même modèle.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>The rasters have no cell where both have data%s. Check their nodata values and that they cover the same area.</source>
      <translation>Les rasters n'ont aucune cellule où les deux ont des données%s. Vérifiez leurs valeurs nodata et qu'ils couvrent la même zone.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source> after resampling 'after' onto the grid of 'before'</source>
      <translation> après rééchantillonnage de 'after' sur la grille de 'before'</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>The rasters are on different grids and %s no CRS, so they cannot be aligned. Assign a CRS to both.</source>
      <translation>Les rasters sont sur des grilles différentes et %s aucun SCR, ils ne peuvent donc pas être alignés. Attribuez un SCR aux deux.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>'before' has</source>
      <translation>'before' n'a</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>'after' has</source>
      <translation>'after' n'a</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>The 'before' and 'after' rasters do not overlap. Choose rasters of the same area.</source>
      <translation>Les rasters 'before' et 'after' ne se recouvrent pas. Choisissez des rasters de la même zone.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>Resampling 'after' onto the grid of 'before' (%s).</source>
      <translation>Rééchantillonnage de 'after' sur la grille de 'before' (%s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change.py" />
      <source>Cosine distance: mean %.4f, std %.4f, max %.4f over %d cells</source>
      <translation>Distance cosinus : moyenne %.4f, écart type %.4f, max %.4f sur %d cellules</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change_series.py" />
      <source>None of the %d features covers a valid cell of the first period: no timelines.</source>
      <translation>Aucune des %d entités ne couvre une cellule valide de la première période : pas de chronologies.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change_series.py" />
      <source>The periods have no cell with data in every period. Check that they cover the same area and their nodata values.</source>
      <translation>Les périodes n'ont aucune cellule avec des données à chaque période. Vérifiez qu'elles couvrent la même zone et leurs valeurs nodata.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/change_series.py" />
      <source>%d periods, %d cells: %s (a change: a step of at least %g)</source>
      <translation>%d périodes, %d cellules : %s (un changement : un pas d'au moins %g)</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The file %r is not a TerraEmbed classifier (%s). Choose a file saved by Few-shot classification ('Save the classifier').</source>
      <translation>Le fichier %r n'est pas un classifieur TerraEmbed (%s). Choisissez un fichier enregistré par Classification few-shot ('Enregistrer le classifieur').</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The classifier file %r does not exist. Choose a file saved by Few-shot classification.</source>
      <translation>Le fichier de classifieur %r n'existe pas. Choisissez un fichier enregistré par Classification few-shot.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The classifier file %r is of format version %r; this TerraEmbed reads version %d. Update TerraEmbed, or save the classifier again with this one.</source>
      <translation>Le fichier de classifieur %r est au format de version %r ; ce TerraEmbed lit la version %d. Mettez TerraEmbed à jour, ou enregistrez à nouveau le classifieur avec celui-ci.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The classifier file %r was changed after it was saved (its SHA-256 does not match its content), so it is refused: an edited classifier predicts something nobody fitted. Save the classifier again with Few-shot classification.</source>
      <translation>Le fichier de classifieur %r a été modifié après son enregistrement (son SHA-256 ne correspond pas à son contenu), il est donc refusé : un classifieur modifié prédit quelque chose que personne n'a ajusté. Enregistrez à nouveau le classifieur avec Classification few-shot.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The classifier %r cannot classify %r: %s. A classifier means something only on embeddings of the model it was fitted on (%s); compute embeddings of this area with that model, or fit a classifier on this raster.</source>
      <translation>Le classifieur %r ne peut pas classer %r : %s. Un classifieur n'a de sens que sur des embeddings du modèle sur lequel il a été ajusté (%s) ; calculez les embeddings de cette zone avec ce modèle, ou ajustez un classifieur sur ce raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The model of %s cannot be checked (the classifier: %s; this raster: %s): make sure both are embeddings of the same model.</source>
      <translation>Le modèle de %s ne peut pas être vérifié (le classifieur : %s ; ce raster : %s) : assurez-vous que les deux sont des embeddings du même modèle.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>Cell size %g x %g here, %g x %g in the training raster: the same model at another cell size may see the ground differently.</source>
      <translation>Taille de cellule %g x %g ici, %g x %g dans le raster d'entraînement : le même modèle à une autre taille de cellule peut voir le terrain différemment.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>Only a logistic regression classifier can be saved (a k-nearest-neighbours classifier is its thousands of training cells). Choose 'Logistic regression', or leave 'Save the classifier' empty.</source>
      <translation>Seul un classifieur par régression logistique peut être enregistré (un classifieur des k plus proches voisins, ce sont ses milliers de cellules d'entraînement). Choisissez 'Régression logistique', ou laissez 'Enregistrer le classifieur' vide.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classifier_file.py" />
      <source>The written classifier file %s cannot be read back (%s); nothing was saved.</source>
      <translation>Le fichier de classifieur écrit %s ne peut pas être relu (%s) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>labelled geometry</source>
      <translation>géométrie étiquetée</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>Classification needs at least 2 classes; the labels have only %s. Label features of at least two classes.</source>
      <translation>La classification demande au moins 2 classes ; les étiquettes n'en ont que %s. Étiquetez des entités d'au moins deux classes.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <location filename="../engine/analysis/compare.py" />
      <location filename="../engine/pipeline/series_job.py" />
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/series.py" />
      <source>none</source>
      <translation>aucune</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>None of the %d labelled features covers a valid cell of the raster. Check that they lie inside the raster, on cells with data, and are in the raster's CRS.</source>
      <translation>Aucune des %d entités étiquetées ne couvre une cellule valide du raster. Vérifiez qu'elles se trouvent dans le raster, sur des cellules avec des données, et dans le SCR du raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>No labelled feature of class %s covers a valid cell; %s ignored.</source>
      <translation>Aucune entité étiquetée de la classe %s ne couvre une cellule valide ; %s ignorée.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>it is</source>
      <translation>elle est</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>they are</source>
      <translation>elles sont</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>Only class %r has labelled features on valid cells; classification needs at least 2 classes. Add features of another class inside the raster.</source>
      <translation>Seule la classe %r a des entités étiquetées sur des cellules valides ; la classification demande au moins 2 classes. Ajoutez des entités d'une autre classe à l'intérieur du raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>Training cells per class: %s</source>
      <translation>Cellules d'entraînement par classe : %s</translation>
    </message>
    <message>
      <location filename="../engine/analysis/classify.py" />
      <source>Cross-validated accuracy (%d folds, %s): %.3f; mean of the folds %.3f, 95%% interval %s; macro F1 %.3f</source>
      <translation>Exactitude en validation croisée (%d plis, %s) : %.3f ; moyenne des plis %.3f, intervalle à 95%% %s ; F1 macro %.3f</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <location filename="../engine/report/analysis.py" />
      <source>Clustering</source>
      <translation>Regroupement</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>k = %d is larger than the number of %s valid cells (%d); choose a smaller k%s.</source>
      <translation>k = %d dépasse le nombre de cellules valides %s (%d) ; choisissez un k plus petit%s.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>sampled</source>
      <translation>échantillonnées</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source> or a larger sample</source>
      <translation> ou un échantillon plus grand</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>Too few valid cells (%d) to try k from %d; choose a smaller 'k_range' or a raster with more valid cells.</source>
      <translation>Trop peu de cellules valides (%d) pour essayer k à partir de %d ; choisissez un 'k_range' plus petit ou un raster avec plus de cellules valides.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>Only %d valid cells: trying k up to %d instead of %d.</source>
      <translation>Seulement %d cellules valides : essai de k jusqu'à %d au lieu de %d.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>k = %d: silhouette %s, inertia %.4g</source>
      <translation>k = %d : silhouette %s, inertie %.4g</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>n/a</source>
      <translation>n.d.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>No k in 'k_range' splits the cells into two or more clusters; the raster may be constant. Give k explicitly.</source>
      <translation>Aucun k de 'k_range' ne sépare les cellules en deux groupes ou plus ; le raster est peut-être constant. Donnez k explicitement.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/cluster.py" />
      <source>Chose k = %d (highest silhouette %.4f).</source>
      <translation>k = %d retenu (meilleure silhouette %.4f).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>The raster %r does not overlap the labelled features (none of the %d lies inside its extent). Compare rasters of the labelled area, or check the labels' CRS.</source>
      <translation>Le raster %r ne recouvre pas les entités étiquetées (aucune des %d n'est dans son emprise). Comparez des rasters de la zone étiquetée, ou vérifiez le SCR des étiquettes.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>%d of the %d labelled features lie outside the raster %r.</source>
      <translation>%d des %d entités étiquetées sont hors du raster %r.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>Class %s of the raster %r has no valid labelled cell in another raster; it is left out of the comparison (every raster is validated on the same classes).</source>
      <translation>La classe %s du raster %r n'a aucune cellule étiquetée valide dans un autre raster ; elle est exclue de la comparaison (chaque raster est validé sur les mêmes classes).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>Fewer than 2 classes have labelled cells in every raster (%s); the comparison needs the same classes in all rasters. Label classes inside every raster's extent.</source>
      <translation>Moins de 2 classes ont des cellules étiquetées dans chaque raster (%s) ; la comparaison nécessite les mêmes classes dans tous les rasters. Étiquetez des classes dans l'emprise de chaque raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>Raster %r: %s</source>
      <translation>Raster %r : %s</translation>
    </message>
    <message>
      <location filename="../engine/analysis/compare.py" />
      <source>%s vs %s: %.3f better, fold by fold (95%% interval %s), %s.</source>
      <translation>%s contre %s : %.3f de mieux, pli par pli (intervalle à 95%% %s), %s.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>Storage must be one of %s, got %r.</source>
      <translation>Le stockage doit être l'une des valeurs %s, reçu %r.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>Exploring %r needs %s of memory (%d x %d cells x %d dimensions, %s) but only %s is available. Close other programs, or clip the raster to a smaller area (Raster &gt; Extraction &gt; Clip Raster by Extent) and explore that.</source>
      <translation>Explorer %r demande %s de mémoire (%d x %d cellules x %d dimensions, %s) mais seuls %s sont disponibles. Fermez d'autres programmes, ou découpez le raster sur une zone plus petite (Raster &gt; Extraction &gt; Découper un raster selon une emprise) et explorez celle-ci.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>no coordinates</source>
      <translation>sans coordonnées</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>outside the raster</source>
      <translation>hors du raster</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>a cell without data</source>
      <translation>une cellule sans données</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>The examples' mean embedding is all zeros; choose other examples.</source>
      <translation>L'embedding moyen des exemples est entièrement nul ; choisissez d'autres exemples.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>Click at least one positive example on a cell with data (a plain click).</source>
      <translation>Cliquez au moins un exemple positif sur une cellule avec des données (un clic simple).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>no class</source>
      <translation>sans classe</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>Few-shot mode needs examples of at least 2 classes; pick another class and click.</source>
      <translation>Le mode few-shot demande des exemples d'au moins 2 classes ; choisissez une autre classe et cliquez.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore.py" />
      <source>spatial blocks of %d x %d cells</source>
      <translation>blocs spatiaux de %d x %d cellules</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_queries.py" />
      <source>The raster %r changed on disk since the session opened; reopen the session.</source>
      <translation>Le raster %r a changé sur le disque depuis l'ouverture de la session ; rouvrez la session.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_queries.py" />
      <source>Unknown query %r.</source>
      <translation>Requête inconnue %r.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_save.py" />
      <source>Click an example first: there is no similarity map yet.</source>
      <translation>Cliquez d'abord un exemple : il n'y a pas encore de carte de similarité.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_save.py" />
      <source>Choose at least one result to save.</source>
      <translation>Choisissez au moins un résultat à enregistrer.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_save.py" />
      <source>A mask or polygons need a threshold: move the slider first.</source>
      <translation>Un masque ou des polygones demandent un seuil : déplacez d'abord le curseur.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_save.py" />
      <source>Click an example first: there is no similarity map to save.</source>
      <translation>Cliquez d'abord un exemple : il n'y a pas de carte de similarité à enregistrer.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_save.py" />
      <source>Map classes first (few-shot mode, examples of 2 classes): there is no class map.</source>
      <translation>Cartographiez d'abord les classes (mode few-shot, exemples de 2 classes) : il n'y a pas de carte de classes.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_suggest.py" />
      <source>Suggestions need examples of 2 kinds: in Classes mode 2 classes, in Similar places mode a place like this and one not like this (Shift+click).</source>
      <translation>Les suggestions nécessitent des exemples de 2 sortes : en mode Classes, 2 classes ; en mode Lieux semblables, un lieu comme celui-ci et un lieu différent (Maj+clic).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/explore_suggest.py" />
      <source>Suggestions are for the modes fewshot and similarity, got %r.</source>
      <translation>Les suggestions sont pour les modes fewshot et similarity, reçu %r.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/geometries.py" />
      <source>geometry</source>
      <translation>géométrie</translation>
    </message>
    <message>
      <location filename="../engine/analysis/geometries.py" />
      <source>A %s is empty; give it as WKT in the raster's CRS.</source>
      <translation>La %s est vide ; donnez-la en WKT dans le SCR du raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/geometries.py" />
      <source>A %s is not valid WKT (%s): %r</source>
      <translation>La %s n'est pas un WKT valide (%s) : %r</translation>
    </message>
    <message>
      <location filename="../engine/analysis/geometries.py" />
      <source>A %s is empty: %r</source>
      <translation>La %s est vide : %r</translation>
    </message>
    <message>
      <location filename="../engine/analysis/pca.py" />
      <source>PCA</source>
      <translation>ACP</translation>
    </message>
    <message>
      <location filename="../engine/analysis/pca.py" />
      <source>Asked for %d components but the raster has only %d bands; choose at most %d components.</source>
      <translation>%d composantes demandées mais le raster n'a que %d bandes ; choisissez au plus %d composantes.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/pca.py" />
      <source>Only %d valid cells to fit %d components; choose at most %d components or a raster with more valid cells.</source>
      <translation>Seulement %d cellules valides pour ajuster %d composantes ; choisissez au plus %d composantes ou un raster avec plus de cellules valides.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/pca.py" />
      <source>PCA on %d of %d valid cells: explained variance ratio %s (total %.3f)</source>
      <translation>ACP sur %d des %d cellules valides : ratio de variance expliquée %s (total %.3f)</translation>
    </message>
    <message>
      <location filename="../engine/analysis/sampling.py" />
      <source>Sample reduced from %d to %d cells to bound memory (%d bands).</source>
      <translation>Échantillon réduit de %d à %d cellules pour borner la mémoire (%d bandes).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>Give either a series file ('series') or embedding rasters in order ('inputs'), not both.</source>
      <translation>Donnez soit un fichier de série ('series') soit des rasters d'embeddings dans l'ordre ('inputs'), pas les deux.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>the single raster %r (not a series file)</source>
      <translation>le raster unique %r (pas un fichier de série)</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>Give one label per period: %d labels for %d rasters.</source>
      <translation>Donnez un libellé par période : %d libellés pour %d rasters.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>the list of rasters</source>
      <translation>la liste des rasters</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>The period %r (%s) has %d dimensions but the first period %r has %d: every period must hold embeddings of the same model. Compute it again with the model of the others, or leave it out.</source>
      <translation>La période %r (%s) a %d dimensions mais la première période %r en a %d : chaque période doit contenir des embeddings du même modèle. Calculez-la à nouveau avec le modèle des autres, ou laissez-la de côté.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>The period %r (%s) holds embeddings of %s but the first period %r holds %s: every period must hold embeddings of the same model. Compute it again with %s, or leave it out.</source>
      <translation>La période %r (%s) contient des embeddings de %s mais la première période %r contient %s : chaque période doit contenir des embeddings du même modèle. Calculez-la à nouveau avec %s, ou laissez-la de côté.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>The period %r is on another grid than the first and has no CRS: assign one.</source>
      <translation>La période %r est sur une autre grille que la première et n'a pas de SCR : attribuez-lui en un.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>The period %r does not overlap the first period: choose rasters of one area.</source>
      <translation>La période %r ne recouvre pas la première période : choisissez des rasters d'une même zone.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/series_input.py" />
      <source>Resampling the period %r onto the grid of the first period (%s).</source>
      <translation>Rééchantillonnage de la période %r sur la grille de la première période (%s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>reference</source>
      <translation>de référence</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>negative</source>
      <translation>des exemples négatifs</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>The %s embedding is all zeros; cosine similarity is undefined. Choose other %s features or vectors.</source>
      <translation>L'embedding %s est entièrement nul ; la similarité cosinus n'est pas définie. Choisissez d'autres entités ou vecteurs %s.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>The %s vectors must be lists of numbers, one per band.</source>
      <translation>Les vecteurs %s doivent être des listes de nombres, un par bande.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>Give at least one %s vector (a list of %d numbers).</source>
      <translation>Donnez au moins un vecteur %s (une liste de %d nombres).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>The %s vectors have %d values but the raster has %d bands; use vectors from the same model as the raster.</source>
      <translation>Les vecteurs %s ont %d valeurs mais le raster a %d bandes ; utilisez des vecteurs du même modèle que le raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>The %s vectors contain NaN or infinite values.</source>
      <translation>Les vecteurs %s contiennent des valeurs NaN ou infinies.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>Give at least one %s geometry (WKT in the raster's CRS).</source>
      <translation>Donnez au moins une géométrie %s (WKT dans le SCR du raster).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>%s geometry</source>
      <translation>géométrie %s</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>None of the %d %s features covers a valid cell of the raster. Check that they lie inside the raster, on cells with data, and are in the raster's CRS.</source>
      <translation>Aucune des %d entités %s ne couvre une cellule valide du raster. Vérifiez qu'elles se trouvent dans le raster, sur des cellules avec des données, et dans le SCR du raster.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>%d of %d %s features cover no valid cell and were ignored.</source>
      <translation>%d des %d entités %s ne couvrent aucune cellule valide et ont été ignorées.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>A mask or polygons output needs a 'threshold' (a similarity %s).</source>
      <translation>Une sortie masque ou polygones demande un 'threshold' (une similarité %s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>%s: mean %.4f, min %.4f, max %.4f over %d cells%s</source>
      <translation>%s : moyenne %.4f, min %.4f, max %.4f sur %d cellules%s</translation>
    </message>
    <message>
      <location filename="../engine/analysis/similarity.py" />
      <source>; %d cells &gt;= %g</source>
      <translation> ; %d cellules &gt;= %g</translation>
    </message>
    <message>
      <location filename="../engine/analysis/timeline.py" />
      <source>The click is outside the series %s: click a cell inside it.</source>
      <translation>Le clic est hors de la série %s : cliquez sur une cellule à l'intérieur.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/timeline.py" />
      <source>Choose a series for the timeline (a series file made by TerraEmbed).</source>
      <translation>Choisissez une série pour la chronologie (un fichier de série fait par TerraEmbed).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/timeline.py" />
      <source>The cell (row %d, column %d) has no data in %s: no timeline there.</source>
      <translation>La cellule (ligne %d, colonne %d) n'a pas de données dans %s : pas de chronologie à cet endroit.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/timeline.py" />
      <source>every period</source>
      <translation>chaque période</translation>
    </message>
    <message>
      <location filename="../engine/analysis/uncertainty.py" />
      <source>Where to label next: %d cells, the most uncertain at least %g map units apart and from every label.</source>
      <translation>Où étiqueter ensuite : %d cellules, les plus incertaines, espacées d'au moins %g unités de carte entre elles et de chaque étiquette.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/uncertainty.py" />
      <source>Only %d of the %d suggestions fit at a spacing of %g map units: the other uncertain cells are closer than that to a label or to a suggestion. Lower the spacing for more.</source>
      <translation>Seules %d des %d suggestions tiennent avec un espacement de %g unités de carte : les autres cellules incertaines sont plus proches que cela d'une étiquette ou d'une suggestion. Réduisez l'espacement pour en avoir plus.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>grouped by feature</source>
      <translation>groupée par entité</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>stratified by cell</source>
      <translation>stratifiée par cellule</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Class %s has a single labelled cell; spatial validation needs at least 2 labelled cells of every class, in different blocks. Label it in another place too.</source>
      <translation>La classe %s n'a qu'une seule cellule étiquetée ; la validation spatiale nécessite au moins 2 cellules étiquetées de chaque classe, dans des blocs différents. Étiquetez-la aussi à un autre endroit.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Spatial blocks of %g map units (automatic: the labels' extent %g over %d, at least %d cells of %g%s).</source>
      <translation>Blocs spatiaux de %g unités de carte (automatique : l'étendue des étiquettes %g divisée par %d, au moins %d cellules de %g%s).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Spatial blocks of %g map units are too large: %sclass %s lies in a single block, and validation needs every class in at least 2 blocks. The largest block that works here is %g map units; choose that or smaller (0 = automatic).</source>
      <translation>Des blocs spatiaux de %g unités de carte sont trop grands : %sla classe %s tient dans un seul bloc, et la validation nécessite chaque classe dans au moins 2 blocs. Le plus grand bloc qui convient ici fait %g unités de carte ; choisissez cette taille ou moins (0 = automatique).</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Cross-validation uses %d folds instead of %d: the smallest class has only %d %s.</source>
      <translation>La validation croisée utilise %d plis au lieu de %d : la plus petite classe n'a que %d %s.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>spatial blocks of %g map units</source>
      <translation>blocs spatiaux de %g unités de carte</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>%s has a single labelled geometry, so cross-validation splits cells, not geometries: neighbouring cells of one geometry end up in both training and test folds and the accuracy is optimistic. Label at least 2 geometries per class.</source>
      <translation>%s n'a qu'une seule géométrie étiquetée, la validation croisée sépare donc des cellules et non des géométries : des cellules voisines d'une même géométrie se retrouvent dans les plis d'entraînement et de test, et l'exactitude est optimiste. Étiquetez au moins 2 géométries par classe.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Cross-validation skipped: %s has a single labelled cell; every class needs at least 2.</source>
      <translation>Validation croisée ignorée : %s n'a qu'une seule cellule étiquetée ; chaque classe en nécessite au moins 2.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/validation.py" />
      <source>Validation by cell is optimistic: neighbouring cells are alike, and they end up in both training and validation folds. Choose spatial blocks for an honest accuracy.</source>
      <translation>La validation par cellule est optimiste : des cellules voisines se ressemblent, et elles se retrouvent dans les plis d'entraînement et de validation. Choisissez des blocs spatiaux pour une exactitude honnête.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/vectors.py" />
      <source>Cannot write polygons to %r: use a .gpkg (GeoPackage) or .geojson file.</source>
      <translation>Impossible d'écrire des polygones dans %r : utilisez un fichier .gpkg (GeoPackage) ou .geojson.</translation>
    </message>
    <message>
      <location filename="../engine/analysis/vectors.py" />
      <source>Writing a GeoPackage needs the 'pyogrio' package in the runtime; write a .geojson file instead or update the runtime.</source>
      <translation>Écrire un GeoPackage demande le paquet 'pyogrio' dans le runtime ; écrivez plutôt un fichier .geojson ou mettez à jour le runtime.</translation>
    </message>
    <message>
      <location filename="../engine/geo.py" />
      <source>The %s CRS %r is not understood (%s). Give an EPSG code such as 'EPSG:32633' or a WKT string.</source>
      <translation>Le SCR %s %r n'est pas compris (%s). Donnez un code EPSG comme 'EPSG:32633' ou une chaîne WKT.</translation>
    </message>
    <message>
      <location filename="../engine/jobs.py" />
      <source>Unknown job type %r; known: %s</source>
      <translation>Type de job inconnu %r ; connus : %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/chips.py" />
      <source>The AOI is %d x %d pixels, too large for 'resize' preparation (at most %d pixels). Use 'tile' preparation or a smaller AOI.</source>
      <translation>La zone d'intérêt fait %d x %d pixels, trop grande pour la préparation 'resize' (au plus %d pixels). Utilisez la préparation 'tile' ou une zone d'intérêt plus petite.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>Dask worker %s cannot run TerraEmbed's tasks (%s). Start it with the runtime's Python and the folder that holds the terraembed plugin on its PYTHONPATH (README, 'Running on a cluster').</source>
      <translation>Le worker Dask %s ne peut pas exécuter les tâches de TerraEmbed (%s). Démarrez-le avec le Python du runtime et le dossier qui contient le plugin terraembed dans son PYTHONPATH (README, 'Running on a cluster').</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>Dask worker %s cannot load the model: %s</source>
      <translation>Le worker Dask %s ne peut pas charger le modèle : %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>Dask cluster %s: %d worker(s), %d thread(s), model %s on %s.</source>
      <translation>Cluster Dask %s : %d worker(s), %d thread(s), modèle %s sur %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>Some Dask workers cannot read %s: this client reads the chips and sends them.</source>
      <translation>Certains workers Dask ne peuvent pas lire %s : ce client lit les tuiles et les leur envoie.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>Lost the connection to the Dask scheduler at %s; nothing was written.</source>
      <translation>Connexion perdue avec l'ordonnanceur Dask à %s ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>All workers of the Dask scheduler at %s are gone (none for %.0f s); nothing was written. Start workers (`dask worker %s`) and run again.</source>
      <translation>Tous les workers de l'ordonnanceur Dask à %s ont disparu (aucun depuis %.0f s) ; rien n'a été écrit. Démarrez des workers (`dask worker %s`) et relancez.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>The Dask scheduler at %s dropped this job's tasks (restarted or lost); nothing was written. Run again.</source>
      <translation>L'ordonnanceur Dask à %s a abandonné les tâches de ce job (redémarré ou perdu) ; rien n'a été écrit. Relancez.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>A batch crashed the Dask workers that ran it several times (out of memory?). Use a smaller batch size or workers with more memory.</source>
      <translation>Un lot a fait planter plusieurs fois les workers Dask qui l'exécutaient (mémoire épuisée ?). Utilisez une taille de lot plus petite ou des workers avec plus de mémoire.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>The Dask scheduler at %s stopped answering (nothing for %.0f s); nothing was written. Check the scheduler, then run again.</source>
      <translation>L'ordonnanceur Dask à %s ne répond plus (rien depuis %.0f s) ; rien n'a été écrit. Vérifiez l'ordonnanceur, puis relancez.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster.py" />
      <source>The Dask scheduler at %s has no workers (waited %.0f s). Start some with `dask worker %s`. Nothing was written.</source>
      <translation>L'ordonnanceur Dask à %s n'a aucun worker (attente de %.0f s). Démarrez-en avec `dask worker %s`. Rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster_tasks.py" />
      <source>Dask worker %s sees the raster %r differently (AOI window %s, the client: %s): give every worker the same file.</source>
      <translation>Le worker Dask %s voit le raster %r différemment (fenêtre de la zone d'intérêt %s, le client : %s) : donnez le même fichier à chaque worker.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster_workers.py" />
      <source>Dask worker %s (host %s) runs another version: %s. Install the same TerraEmbed version and the same runtime lock on every worker.</source>
      <translation>Le worker Dask %s (hôte %s) exécute une autre version : %s. Installez la même version de TerraEmbed et le même verrou de runtime sur chaque worker.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster_workers.py" />
      <source>Dask worker %s (host %s) lacks %s for model %s. Put the weights there (same path, or its Hugging Face cache), or allow downloads.</source>
      <translation>Le worker Dask %s (hôte %s) n'a pas %s pour le modèle %s. Placez-y les poids (même chemin, ou son cache Hugging Face), ou autorisez les téléchargements.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster_workers.py" />
      <source>Dask worker %s (host %s) cannot read the input %s. Give a path every worker can read (a shared folder, a /vsicurl/ or cloud URL).</source>
      <translation>Le worker Dask %s (hôte %s) ne peut pas lire l'entrée %s. Donnez un chemin que chaque worker peut lire (un dossier partagé, une URL /vsicurl/ ou cloud).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/cluster_workers.py" />
      <source>Dask worker(s) %s run with %s=%s (the Dask nanny's default), which slows the model by about 10-15 %%: start `dask worker` with DASK_CONFIG set to the plugin's engine/pipeline/dask folder (README, 'Running on a cluster').</source>
      <translation>Le(s) worker(s) Dask %s tourne(nt) avec %s=%s (la valeur par défaut du nanny Dask), ce qui ralentit le modèle d'environ 10-15 %% : démarrez `dask worker` avec DASK_CONFIG pointant sur le dossier engine/pipeline/dask du plugin (README, 'Running on a cluster').</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Model %s reused: already loaded by an earlier run of this runtime.</source>
      <translation>Modèle %s réutilisé : déjà chargé par un traitement précédent de ce runtime.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>The area of interest</source>
      <translation>La zone d'intérêt</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>%s is only %d x %d pixels; resize mode enlarges it %.0fx to the model's %d-pixel input, so the embeddings describe interpolated pixels. Choose a larger area of interest, tile mode (the area is then padded, not enlarged), or a raster with finer pixels.</source>
      <translation>%s ne fait que %d x %d pixels ; le mode resize l'agrandit %.0fx jusqu'à l'entrée de %d pixels du modèle, les embeddings décrivent donc des pixels interpolés. Choisissez une zone d'intérêt plus grande, le mode tuiles (la zone est alors complétée, pas agrandie), ou un raster aux pixels plus fins.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>The job's source has no raster path.</source>
      <translation>La source du job n'a pas de chemin de raster.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Earth Engine sources are not available in this runtime (%s). Use a raster layer, or update the runtime.</source>
      <translation>Les sources Earth Engine ne sont pas disponibles dans ce runtime (%s). Utilisez une couche raster, ou mettez le runtime à jour.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Earth Engine composite (%d x %d pixels, %d bands)</source>
      <translation>composite Earth Engine (%d x %d pixels, %d bandes)</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Free some space in the temporary folder, choose a smaller area or a coarser pixel size</source>
      <translation>Libérez de l'espace dans le dossier temporaire, choisissez une zone plus petite ou une taille de pixel plus grossière</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>imagery cache's copy of the Earth Engine composite</source>
      <translation>copie du composite Earth Engine dans le cache d'imagerie</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Free some space, choose another imagery cache folder in the settings, or set the cache size to 0 to turn the cache off</source>
      <translation>Libérez de l'espace, choisissez un autre dossier de cache d'imagerie dans les paramètres, ou réglez la taille du cache sur 0 pour le désactiver</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>Model '%s' reads one raster (%s); the extra sensor rasters (%s) are for TerraMind on several sensors. Leave them empty, or choose such a model.</source>
      <translation>Le modèle '%s' lit un seul raster (%s) ; les rasters de capteurs supplémentaires (%s) sont destinés à TerraMind sur plusieurs capteurs. Laissez-les vides, ou choisissez un tel modèle.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>The raster has no valid pixels inside the area of interest: every pixel is nodata, NaN or ±Inf. Choose another area, or check the raster's nodata value and its bands.</source>
      <translation>Le raster n'a aucun pixel valide dans la zone d'intérêt : chaque pixel est nodata, NaN ou ±Inf. Choisissez une autre zone, ou vérifiez la valeur nodata du raster et ses bandes.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/common.py" />
      <source>The input values are all below 2; Sentinel-2 models expect surface reflectance 0..10000. If the raster holds reflectance 0..1, set the scale factor to 10000.</source>
      <translation>Les valeurs en entrée sont toutes inférieures à 2 ; les modèles Sentinel-2 attendent une réflectance de surface 0..10000. Si le raster contient une réflectance 0..1, réglez le facteur d'échelle sur 10000.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed.py" />
      <source>Input: %s, AOI window %d x %d pixels at offset (%d, %d), %s preparation.</source>
      <translation>Entrée : %s, fenêtre de la zone d'intérêt %d x %d pixels au décalage (%d, %d), préparation %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed.py" />
      <source>The grid has only %d valid cell(s), fewer than the %d PCA components asked; the components beyond %d are 0.</source>
      <translation>La grille n'a que %d cellule(s) valide(s), moins que les %d composantes d'ACP demandées ; les composantes au-delà de %d valent 0.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed_grid.py" />
      <source>Tile mode: %d chip(s) of %d px at stride %d px (overlap %s; grid %d x %d cells of %d px), batch size %d.</source>
      <translation>Mode tuiles : %d tuile(s) de %d px au pas de %d px (recouvrement %s ; grille de %d x %d cellules de %d px), taille de lot %d.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed_grid.py" />
      <source>Embedded %d chip(s) (%d skipped as all nodata), %d valid cells in %.1f s.</source>
      <translation>%d tuile(s) traitée(s) (%d ignorée(s) car entièrement nodata), %d cellules valides en %.1f s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed_grid.py" />
      <source>First batch done: %.2f chips/s; about %.0f s left for %d chips.</source>
      <translation>Premier lot terminé : %.2f tuiles/s ; environ %.0f s restantes pour %d tuiles.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed_plan.py" />
      <source>Tile overlap %s applies to tile preparation only; this %s run ignores it.</source>
      <translation>Le recouvrement des tuiles %s ne s'applique qu'à la préparation en tuiles ; ce traitement %s l'ignore.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/embed_plan.py" />
      <source>PCA components must be between 1 and %d for %s, got %d.</source>
      <translation>Le nombre de composantes de l'ACP doit être entre 1 et %d pour %s, reçu %d.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>There are no features to embed.</source>
      <translation>Il n'y a aucune entité à traiter.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>The layer already has a field named %s: rename or drop it first.</source>
      <translation>La couche a déjà un champ nommé %s : renommez-le ou supprimez-le d'abord.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>No feature could be embedded: every feature window is all nodata.</source>
      <translation>Aucune entité n'a pu être traitée : chaque fenêtre d'entité est entièrement nodata.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>The 'cells' feature vectors are computed on this machine; the Dask scheduler is not used.</source>
      <translation>Les vecteurs d'entité 'cells' sont calculés sur cette machine ; l'ordonnanceur Dask n'est pas utilisé.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>Model %s on %s (%s).</source>
      <translation>Modèle %s sur %s (%s).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>feature</source>
      <translation>zone de l'entité</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <location filename="../engine/pipeline/zones.py" />
      <source>None of the %d feature(s) can be embedded: %s</source>
      <translation>Aucune des %d entité(s) ne peut être traitée : %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/features.py" />
      <source>Model %s on %s (%s); %d feature(s) to embed.</source>
      <translation>Modèle %s sur %s (%s) ; %d entité(s) à traiter.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/geoparquet.py" />
      <source>Could not write the %s as GeoParquet to %s (%s); nothing was written. Choose another folder, or a .gpkg file.</source>
      <translation>Impossible d'écrire le %s en GeoParquet dans %s (%s) ; rien n'a été écrit. Choisissez un autre dossier, ou un fichier .gpkg.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/geoparquet.py" />
      <location filename="../engine/pipeline/outputs.py" />
      <source>The written file %s cannot be read back (%s); nothing was saved.</source>
      <translation>Le fichier écrit %s ne peut pas être relu (%s) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/geoparquet.py" />
      <source>The written file %s holds %d of %d rows; nothing was saved.</source>
      <translation>Le fichier écrit %s contient %d lignes sur %d ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/geoparquet.py" />
      <source>The written file %s has no GeoParquet metadata; nothing was saved.</source>
      <translation>Le fichier écrit %s n'a pas de métadonnées GeoParquet ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/onto_grid.py" />
      <source>average: its cells (%s) are smaller than the grid's (%s), each cell the mean of those it covers, NaN left out</source>
      <translation>moyenne : ses cellules (%s) sont plus petites que celles de la grille (%s), chaque cellule la moyenne de celles qu'elle couvre, NaN exclus</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/onto_grid.py" />
      <source>nearest neighbour: AlphaEarth's int8 codes are not averaged</source>
      <translation>plus proche voisin : les codes int8 d'AlphaEarth ne sont pas moyennés</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/onto_grid.py" />
      <source>nearest neighbour: its cells (%s) are not smaller than the grid's (%s)</source>
      <translation>plus proche voisin : ses cellules (%s) ne sont pas plus petites que celles de la grille (%s)</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/outputs.py" />
      <source>The written file %s is empty; nothing was saved.</source>
      <translation>Le fichier écrit %s est vide ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/outputs.py" />
      <source>The written GeoTIFF %s is incomplete (block %d,%d of band %d is missing); nothing was saved.</source>
      <translation>Le GeoTIFF écrit %s est incomplet (le bloc %d,%d de la bande %d manque) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/outputs.py" />
      <source>The written GeoTIFF %s cannot be read back (%s); nothing was saved.</source>
      <translation>Le GeoTIFF écrit %s ne peut pas être relu (%s) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/pca.py" />
      <source>The number of PCA components must be between 1 and %d, got %d.</source>
      <translation>Le nombre de composantes de l'ACP doit être entre 1 et %d, reçu %d.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/pca.py" />
      <source>There are no valid grid cells to fit a PCA on.</source>
      <translation>Il n'y a aucune cellule valide dans la grille pour ajuster une ACP.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/reader.py" />
      <source>The Sentinel-1 raster %r is said to be in dB ('Sentinel-1 input is in dB'), but its values look linear (%.0f%% are &gt;= 0; backscatter in dB is mostly negative). Turn the dB option off for linear data such as COPERNICUS/S1_GRD_FLOAT.</source>
      <translation>Le raster Sentinel-1 %r est déclaré en dB ('L'entrée Sentinel-1 est en dB'), mais ses valeurs semblent linéaires (%.0f%% sont &gt;= 0 ; une rétrodiffusion en dB est surtout négative). Désactivez l'option dB pour des données linéaires comme COPERNICUS/S1_GRD_FLOAT.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/reader.py" />
      <source>The raster %r holds no data in %s within the area of interest: every value there is NaN, ±Inf or nodata. The model needs all its bands (%s): check the band choice, repair or export the raster again, or choose an area where every band has data.</source>
      <translation>Le raster %r ne contient aucune donnée dans %s à l'intérieur de la zone d'intérêt : chaque valeur y est NaN, ±Inf ou nodata. Le modèle a besoin de toutes ses bandes (%s) : vérifiez le choix des bandes, réparez ou exportez à nouveau le raster, ou choisissez une zone où chaque bande a des données.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The scheduler %r asks for a local cluster of %r workers: use local:N with N from 1 to %d, e.g. local:2.</source>
      <translation>L'ordonnanceur %r demande un cluster local de %r workers : utilisez local:N avec N de 1 à %d, par exemple local:2.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The Dask scheduler file %r does not exist. Start the scheduler with `dask scheduler --scheduler-file %s`, or give its address.</source>
      <translation>Le fichier d'ordonnanceur Dask %r n'existe pas. Démarrez l'ordonnanceur avec `dask scheduler --scheduler-file %s`, ou donnez son adresse.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The Dask scheduler %r is not understood. %s</source>
      <translation>L'ordonnanceur Dask %r n'est pas compris. %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The Dask scheduler file %r cannot be read (%s). Check its permissions, or give the scheduler's address instead.</source>
      <translation>Le fichier d'ordonnanceur Dask %r ne peut pas être lu (%s). Vérifiez ses permissions, ou donnez plutôt l'adresse de l'ordonnanceur.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The file %r is not a Dask scheduler file: it is not JSON with the scheduler's "address" (what `dask scheduler --scheduler-file` writes). Give the file the scheduler wrote, or its address tcp://host:port.</source>
      <translation>Le fichier %r n'est pas un fichier d'ordonnanceur Dask : ce n'est pas du JSON avec l'"address" de l'ordonnanceur (ce qu'écrit `dask scheduler --scheduler-file`). Donnez le fichier écrit par l'ordonnanceur, ou son adresse tcp://hôte:port.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>Cannot reach the Dask scheduler at %s within %.0f s (%s). Check that `dask scheduler` runs there and its port is open, or leave the scheduler empty to run on this machine. Nothing was written.</source>
      <translation>Impossible de joindre l'ordonnanceur Dask à %s en %.0f s (%s). Vérifiez que `dask scheduler` y tourne et que son port est ouvert, ou laissez l'ordonnanceur vide pour travailler sur cette machine. Rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>answered nothing within %.0f s: it is not a Dask scheduler, or one that hangs</source>
      <translation>n'a rien répondu en %.0f s : ce n'est pas un ordonnanceur Dask, ou il est bloqué</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>is not a Dask scheduler: it answered something else (an HTTP server or another program?)</source>
      <translation>n'est pas un ordonnanceur Dask : il a répondu autre chose (un serveur HTTP ou un autre programme ?)</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>%s is a Dask worker, not the scheduler. Give the scheduler's address (the one `dask scheduler` prints, default port %d). Nothing was written.</source>
      <translation>%s est un worker Dask, pas l'ordonnanceur. Donnez l'adresse de l'ordonnanceur (celle qu'affiche `dask scheduler`, port par défaut %d). Rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>is not a Dask scheduler: it says it is %s</source>
      <translation>n'est pas un ordonnanceur Dask : il dit être %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>something else</source>
      <translation>autre chose</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>The program listening at %s %s. Check the address and port (`dask scheduler` prints its address; another program may use the port), or leave the scheduler empty to run on this machine. Nothing was written.</source>
      <translation>Le programme à l'écoute sur %s %s. Vérifiez l'adresse et le port (`dask scheduler` affiche son adresse ; un autre programme utilise peut-être le port), ou laissez l'ordonnanceur vide pour travailler sur cette machine. Rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>looking up the host name %r took more than %.0f s</source>
      <translation>la recherche du nom d'hôte %r a pris plus de %.0f s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>This runtime has no dask.distributed (%s): update the runtime, or leave the scheduler empty.</source>
      <translation>Ce runtime n'a pas dask.distributed (%s) : mettez le runtime à jour, ou laissez l'ordonnanceur vide.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>Cannot start a local Dask cluster of %d worker process(es) (%s). Run with fewer workers, or leave the scheduler empty to run in one process. Nothing was written.</source>
      <translation>Impossible de démarrer un cluster Dask local de %d processus worker(s) (%s). Utilisez moins de workers, ou laissez l'ordonnanceur vide pour travailler dans un seul processus. Rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/scheduler.py" />
      <source>Starting a local Dask cluster of %d worker process(es)...</source>
      <translation>Démarrage d'un cluster Dask local de %d processus worker(s)...</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source> and </source>
      <translation> et </translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>the %s raster (%s)</source>
      <translation>le raster %s (%s)</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>%s needs %s: %s. The raster %r has %d %s. Give %s, or a stacked raster with all %d bands (choose them in model order: %s).</source>
      <translation>%s demande %s : %s. Le raster %r a %d %s. Fournissez %s, ou un raster empilé avec les %d bandes (choisissez-les dans l'ordre du modèle : %s).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>bands were chosen</source>
      <translation>bandes choisies</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>band(s)</source>
      <translation>bande(s)</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>the missing sensor's raster</source>
      <translation>le raster du capteur manquant</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>%s takes separate rasters for %s only, not for %s.</source>
      <translation>%s accepte des rasters séparés pour %s uniquement, pas pour %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>The %s raster has no path.</source>
      <translation>Le raster %s n'a pas de chemin.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>The %s raster %r has %d band(s), none named %s: give a raster with exactly %d band(s) (%s), or name its bands.</source>
      <translation>Le raster %s %r a %d bande(s), aucune nommée %s : donnez un raster avec exactement %d bande(s) (%s), ou nommez ses bandes.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>The %s raster %r and the %s raster cannot be put on one grid: %s no CRS. Assign the CRS (Raster &gt; Projections &gt; Assign Projection), or use rasters on the same grid.</source>
      <translation>Le raster %s %r et le raster %s ne peuvent pas être placés sur une même grille : %s aucun SCR. Attribuez le SCR (Raster &gt; Projections &gt; Définir la projection), ou utilisez des rasters sur la même grille.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>it has</source>
      <translation>l'un n'a</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>the other has</source>
      <translation>l'autre n'a</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/sensors.py" />
      <source>The %s raster %r does not overlap the area of interest on the %s raster (%s in its CRS), or holds only nodata there. Give a %s raster that covers the same area.</source>
      <translation>Le raster %s %r ne recouvre pas la zone d'intérêt sur le raster %s (%s dans son SCR), ou n'y contient que du nodata. Fournissez un raster %s qui couvre la même zone.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s does not exist. Choose a series file (.vrt) made by TerraEmbed.</source>
      <translation>La série %s n'existe pas. Choisissez un fichier de série (.vrt) fait par TerraEmbed.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s cannot be read (%s); choose a series file (.vrt).</source>
      <translation>La série %s ne peut pas être lue (%s) ; choisissez un fichier de série (.vrt).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>%s is not a TerraEmbed series (it has no %s metadata): make one with Build a series or by computing embeddings with periods.</source>
      <translation>%s n'est pas une série TerraEmbed (il n'a pas de métadonnées %s) : construisez-en une avec Construire une série ou en calculant des embeddings avec des périodes.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s has damaged %s metadata (%s); build it again.</source>
      <translation>La série %s a des métadonnées %s endommagées (%s) ; construisez-la à nouveau.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s is of version %r; this TerraEmbed reads version %d: update the plugin.</source>
      <translation>La série %s est en version %r ; ce TerraEmbed lit la version %d : mettez le plugin à jour.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s: %s</source>
      <translation>La série %s : %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s lists the file of period %s as %s, which is not there: it was moved, renamed or deleted. Put it back beside the series, or build the series again.</source>
      <translation>La série %s indique le fichier de la période %s comme %s, qui n'existe pas : il a été déplacé, renommé ou supprimé. Remettez-le à côté de la série, ou construisez la série à nouveau.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s mixes models: period %s (%s) holds %d bands of %s, the series %d of %s. Build the series from embeddings of one model.</source>
      <translation>La série %s mélange des modèles : la période %s (%s) contient %d bandes de %s, la série %d de %s. Construisez la série à partir d'embeddings d'un seul modèle.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>The series %s is not on one grid: period %s (%s) differs from period %s in CRS, transform or size. Build the series again.</source>
      <translation>La série %s n'est pas sur une même grille : la période %s (%s) diffère de la période %s par le SCR, la transformation ou la taille. Construisez la série à nouveau.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>%d rasters but %d periods: give one period per raster, in the rasters' order.</source>
      <translation>%d rasters mais %d périodes : donnez une période par raster, dans l'ordre des rasters.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>%s is not on the grid of %s: resampled onto it (%s) as %s.</source>
      <translation>%s n'est pas sur la grille de %s : rééchantillonné dessus (%s) sous le nom %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series.py" />
      <source>%s holds %d bands of %s, but %s holds %d bands of %s: a series is made of embeddings of one model. Leave %s out or compute it with the same model.</source>
      <translation>%s contient %d bandes de %s, mais %s contient %d bandes de %s : une série est faite d'embeddings d'un seul modèle. Laissez %s de côté ou calculez-le avec le même modèle.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>computed</source>
      <translation>calculées</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>reused</source>
      <translation>réutilisées</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>skipped</source>
      <translation>ignorées</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>A series is made by an embed or ee_fetch job, not %r.</source>
      <translation>Une série est faite par un job embed ou ee_fetch, pas %r.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>A series of periods needs Earth Engine imagery (one composite per period). For rasters you already have, use Build a series (terraembed:build_series).</source>
      <translation>Une série de périodes nécessite de l'imagerie Earth Engine (un composite par période). Pour des rasters que vous avez déjà, utilisez Construire une série (terraembed:build_series).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>Period %s (%s): reused %s, made earlier with the same area, model and settings.</source>
      <translation>Période %s (%s) : %s réutilisé, fait plus tôt avec la même zone, le même modèle et les mêmes paramètres.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>Period %s (%s): computing %s.</source>
      <translation>Période %s (%s) : calcul de %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>%s The run stopped there (as asked); the periods before it are kept and the next run reuses them. Widen the period, or choose to skip periods without imagery.</source>
      <translation>%s L'exécution s'est arrêtée là (comme demandé) ; les périodes précédentes sont conservées et la prochaine exécution les réutilise. Élargissez la période, ou choisissez d'ignorer les périodes sans imagerie.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>%s Skipped, as asked; the series goes on without it.</source>
      <translation>%s Ignorée, comme demandé ; la série continue sans elle.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>Only %d of the %d periods has imagery, so there is no series: widen the periods, or compare two dates with Change between dates.</source>
      <translation>Seules %d des %d périodes ont de l'imagerie, il n'y a donc pas de série : élargissez les périodes, ou comparez deux dates avec Changement entre dates.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <location filename="../shared/jobs/embedding.py" />
      <source>The job needs %r: the periods, e.g. "2019..2025".</source>
      <translation>Le job nécessite %r : les périodes, par exemple "2019..2025".</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>Series %s: %s.</source>
      <translation>Série %s : %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>%s does not say which dates it shows (no Earth Engine provenance): give the periods, one per raster in order, e.g. 2019,2020,2021.</source>
      <translation>%s n'indique pas les dates qu'il montre (pas de provenance Earth Engine) : donnez les périodes, une par raster dans l'ordre, par exemple 2019,2020,2021.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>The rasters' own dates: %s</source>
      <translation>Les dates propres aux rasters : %s</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>The build_series job needs 'rasters': the embedding rasters' paths, in time order.</source>
      <translation>Le job build_series nécessite 'rasters' : les chemins des rasters d'embeddings, dans l'ordre chronologique.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/series_job.py" />
      <source>The raster %s does not exist. Choose existing embedding rasters.</source>
      <translation>Le raster %s n'existe pas. Choisissez des rasters d'embeddings existants.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The scale factor must be a positive number, got %r.</source>
      <translation>Le facteur d'échelle doit être un nombre positif, reçu %r.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The raster %r does not exist. Check the path.</source>
      <translation>Le raster %r n'existe pas. Vérifiez le chemin.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The raster %r is rotated or sheared; warp it to a north-up raster first (Raster &gt; Projections &gt; Warp).</source>
      <translation>Le raster %r est tourné ou cisaillé ; reprojetez-le d'abord en un raster orienté nord (Raster &gt; Projections &gt; Projection (warp)).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The %s needs four finite numbers xmin, ymin, xmax, ymax.</source>
      <translation>La %s demande quatre nombres finis xmin, ymin, xmax, ymax.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The %s is empty (xmax &lt; xmin or ymax &lt; ymin): %s.</source>
      <translation>La %s est vide (xmax &lt; xmin ou ymax &lt; ymin) : %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The raster %r has no CRS, so the %s cannot be placed on it. Assign the raster a CRS first.</source>
      <translation>Le raster %r n'a pas de SCR, la %s ne peut donc pas y être placée. Attribuez d'abord un SCR au raster.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The AOI polygon is not valid WKT (%s).</source>
      <translation>Le polygone de la zone d'intérêt n'est pas un WKT valide (%s).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The AOI geometry must be a polygon or multipolygon, got %s.</source>
      <translation>La géométrie de la zone d'intérêt doit être un polygone ou un multipolygone, reçu %s.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The raster %r is georeferenced by ground control points only. Warp it to a north-up raster first (Raster &gt; Projections &gt; Warp), then use the result.</source>
      <translation>Le raster %r n'est géoréférencé que par des points de calage. Reprojetez-le d'abord en un raster orienté nord (Raster &gt; Projections &gt; Projection (warp)), puis utilisez le résultat.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The raster %r has no georeferencing (no CRS and no geotransform), so no area of it can be placed on the map. Georeference it (Raster &gt; Georeferencer) or assign its CRS and extent (e.g. gdal_translate -a_srs EPSG:32633 -a_ullr ...), then run again.</source>
      <translation>Le raster %r n'a aucun géoréférencement (ni SCR ni géotransformation), aucune zone ne peut donc être placée sur la carte. Géoréférencez-le (Raster &gt; Géoréférenceur) ou attribuez-lui son SCR et son emprise (par exemple gdal_translate -a_srs EPSG:32633 -a_ullr ...), puis relancez.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The model needs %d bands but the raster %r has %d. Choose the %d bands in model order.</source>
      <translation>Le modèle demande %d bandes mais le raster %r en a %d. Choisissez les %d bandes dans l'ordre du modèle.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The model needs %d bands; %d were chosen (%s).</source>
      <translation>Le modèle demande %d bandes ; %d ont été choisies (%s).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>Band(s) %s do not exist: the raster %r has bands 1..%d.</source>
      <translation>La ou les bandes %s n'existent pas : le raster %r a les bandes 1..%d.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>AOI</source>
      <translation>zone d'intérêt</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The AOI cannot be reprojected from %s to the raster's CRS %s (%s).</source>
      <translation>La zone d'intérêt ne peut pas être reprojetée de %s vers le SCR du raster %s (%s).</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The AOI cannot be reprojected to the raster's CRS %s; it lies outside that CRS's area of use.</source>
      <translation>La zone d'intérêt ne peut pas être reprojetée vers le SCR du raster %s ; elle est hors de la zone d'utilisation de ce SCR.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The %s does not overlap the raster (%s in the raster's CRS vs the raster's extent %s). Choose an area inside the raster.</source>
      <translation>La %s ne recouvre pas le raster (%s dans le SCR du raster, pour une emprise du raster de %s). Choisissez une zone à l'intérieur du raster.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/source.py" />
      <source>The %s is smaller than one pixel of the raster (%.3g x %.3g pixels). Draw a larger area.</source>
      <translation>La %s est plus petite qu'un pixel du raster (%.3g x %.3g pixels). Dessinez une zone plus grande.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/stac.py" />
      <source>Could not write the STAC sidecar %s (%s); nothing was saved.</source>
      <translation>Impossible d'écrire le fichier STAC associé %s (%s) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../engine/pipeline/zones.py" />
      <source>Cells of %d feature(s) from %d chip(s) of the raster's tile grid.</source>
      <translation>Cellules de %d entité(s) à partir de %d tuile(s) de la grille de tuiles du raster.</translation>
    </message>
    <message>
      <location filename="../engine/report/__init__.py" />
      <source>Job type %r has no HTML report (reports exist for %s); drop 'html_report'.</source>
      <translation>Le type de job %r n'a pas de rapport HTML (les rapports existent pour %s) ; retirez 'html_report'.</translation>
    </message>
    <message>
      <location filename="../engine/report/__init__.py" />
      <source>'html_report' must be a file path, got %r.</source>
      <translation>'html_report' doit être un chemin de fichier, reçu %r.</translation>
    </message>
    <message>
      <location filename="../engine/report/__init__.py" />
      <source>The HTML report %s is also an input or another output of the job (%s); choose another file name (e.g. report.html).</source>
      <translation>Le rapport HTML %s est aussi une entrée ou une autre sortie du job (%s) ; choisissez un autre nom de fichier (par exemple report.html).</translation>
    </message>
    <message>
      <location filename="../engine/report/__init__.py" />
      <source>The TerraEmbed runtime cannot draw the report's charts (%s). Run 'Install or update runtime', or skip the report.</source>
      <translation>Le runtime TerraEmbed ne peut pas dessiner les graphiques du rapport (%s). Lancez 'Installer ou mettre à jour le runtime', ou ne produisez pas de rapport.</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../shared/errors.py" />
      <source>raster</source>
      <translation>raster</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Distribution of the %s</source>
      <translation>Distribution de la %s</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells per bin of the %s; dashed line: %s.</source>
      <translation>Cellules par intervalle de la %s ; ligne pointillée : %s.</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells per bin of the %s.</source>
      <translation>Cellules par intervalle de la %s.</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells per bin of the %s</source>
      <translation>Cellules par intervalle de la %s</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Bin</source>
      <translation>Intervalle</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/series.py" />
      <source>Cells</source>
      <translation>Cellules</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/series.py" />
      <source>Share</source>
      <translation>Part</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Components</source>
      <translation>Composantes</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Whitened</source>
      <translation>Blanchi</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Valid cells</source>
      <translation>Cellules valides</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/compare.py" />
      <source>Seed</source>
      <translation>Graine</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Total explained variance</source>
      <translation>Variance expliquée totale</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/embedding.py" />
      <location filename="../engine/report/series.py" />
      <source>Input</source>
      <translation>Entrée</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>What was reduced</source>
      <translation>Ce qui a été réduit</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Explained variance</source>
      <translation>Variance expliquée</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>PCA: %d components</source>
      <translation>ACP : %d composantes</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Reference features used</source>
      <translation>Entités de référence utilisées</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Reference cells</source>
      <translation>Cellules de référence</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Negative embedding</source>
      <translation>Embedding négatif</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Negative features used</source>
      <translation>Entités négatives utilisées</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Negative cells</source>
      <translation>Cellules négatives</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>mean of the pooled vectors in the features' emb_ fields</source>
      <translation>moyenne des vecteurs agrégés des champs emb_ des entités</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>mean of the cells under the features</source>
      <translation>moyenne des cellules sous les entités</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>similarity (positives minus negatives)</source>
      <translation>similarité (positifs moins négatifs)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>cosine similarity</source>
      <translation>similarité cosinus</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Lowest similarity</source>
      <translation>Similarité la plus basse</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Mean similarity</source>
      <translation>Similarité moyenne</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Highest similarity</source>
      <translation>Similarité la plus haute</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../ui/explore_box.py" />
      <source>Threshold</source>
      <translation>Seuil</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells at or above the threshold</source>
      <translation>Cellules au seuil ou au-dessus</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Share at or above the threshold</source>
      <translation>Part au seuil ou au-dessus</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Similar areas (polygons)</source>
      <translation>Zones semblables (polygones)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Where the search ran</source>
      <translation>Où la recherche a porté</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cosine similarity to the reference minus to the negative embedding (-2..2)</source>
      <translation>Similarité cosinus à la référence moins celle à l'embedding négatif (-2..2)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cosine similarity to the reference (-1..1)</source>
      <translation>Similarité cosinus à la référence (-1..1)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>threshold %g</source>
      <translation>seuil %g</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>%s, %d reference features</source>
      <translation>%s, %d entités de référence</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>, %d negative</source>
      <translation>, %d négatives</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>How k was set</source>
      <translation>Choix de k</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>automatically: the k of %d..%d with the highest silhouette</source>
      <translation>automatique : le k de %d..%d à la plus haute silhouette</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>automatically</source>
      <translation>automatique</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>given</source>
      <translation>donné</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Silhouette of the chosen k</source>
      <translation>Silhouette du k choisi</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Inertia</source>
      <translation>Inertie</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>k-means clustering</source>
      <translation>Regroupement k-means</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Clustering: %d clusters</source>
      <translation>Regroupement : %d groupes</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Silhouette score by k</source>
      <translation>Score de silhouette selon k</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>k (number of clusters)</source>
      <translation>k (nombre de groupes)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>silhouette (higher is better)</source>
      <translation>silhouette (plus haut = mieux)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Silhouette score on a sample of cells for every k tried; the chosen k in red.</source>
      <translation>Score de silhouette sur un échantillon de cellules pour chaque k essayé ; le k choisi en rouge.</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Silhouette</source>
      <translation>Silhouette</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Chosen</source>
      <translation>Choisi</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells per cluster</source>
      <translation>Cellules par groupe</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/charts.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/series.py" />
      <source>cells</source>
      <translation>cellules</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cluster sizes</source>
      <translation>Tailles des groupes</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells per cluster (1 = the largest).</source>
      <translation>Cellules par groupe (1 = le plus grand).</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cluster</source>
      <translation>Groupe</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>cluster %s</source>
      <translation>groupe %s</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>First date</source>
      <translation>Première date</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Second date</source>
      <translation>Seconde date</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Second raster resampled onto the first one's grid</source>
      <translation>Second raster rééchantillonné sur la grille du premier</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells compared</source>
      <translation>Cellules comparées</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Standard deviation</source>
      <translation>Écart type</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Lowest distance</source>
      <translation>Distance la plus basse</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/series.py" />
      <source>Median</source>
      <translation>Médiane</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/series.py" />
      <source>90th percentile</source>
      <translation>90e centile</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>99th percentile</source>
      <translation>99e centile</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Highest distance</source>
      <translation>Distance la plus haute</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cells changed (at or above the threshold)</source>
      <translation>Cellules changées (au seuil ou au-dessus)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Share changed</source>
      <translation>Part changée</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Change</source>
      <translation>Changement</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>Cosine distance between the dates (0 = unchanged, up to 2)</source>
      <translation>Distance cosinus entre les dates (0 = inchangé, jusqu'à 2)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <location filename="../engine/report/series.py" />
      <source>cosine distance</source>
      <translation>distance cosinus</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>cosine distance (1 - cosine similarity)</source>
      <translation>distance cosinus (1 - similarité cosinus)</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>%s to %s</source>
      <translation>%s à %s</translation>
    </message>
    <message>
      <location filename="../engine/report/analysis.py" />
      <source>, %s changed</source>
      <translation>, %s changé</translation>
    </message>
    <message>
      <location filename="../engine/report/charts.py" />
      <source>cumulative</source>
      <translation>cumul</translation>
    </message>
    <message>
      <location filename="../engine/report/charts.py" />
      <source>cells (log scale)</source>
      <translation>cellules (échelle log)</translation>
    </message>
    <message>
      <location filename="../engine/report/charts.py" />
      <source>chosen k = %s</source>
      <translation>k choisi = %s</translation>
    </message>
    <message>
      <location filename="../engine/report/charts.py" />
      <source>labelled cells per class</source>
      <translation>cellules étiquetées par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/charts.py" />
      <source>accuracy</source>
      <translation>exactitude</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Uncertainty raster</source>
      <translation>Raster d'incertitude</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>%d cells, at least %g map units apart and from every label: %s</source>
      <translation>%d cellules, à au moins %g unités de carte les unes des autres et de chaque étiquette : %s</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Saved classifier</source>
      <translation>Classifieur enregistré</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>logistic regression</source>
      <translation>régression logistique</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>k nearest neighbours (k = %s)</source>
      <translation>k plus proches voisins (k = %s)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Classification</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/validation.py" />
      <source>Accuracy</source>
      <translation>Exactitude</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>No cross-validation ran (folds 0 or 1, or a class with a single labelled cell), so there is no accuracy estimate.</source>
      <translation>Aucune validation croisée n'a eu lieu (0 ou 1 pli, ou une classe avec une seule cellule étiquetée) : il n'y a donc pas d'estimation de l'exactitude.</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Few-shot classification: %d classes</source>
      <translation>Classification few-shot : %d classes</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>, accuracy %s</source>
      <translation>, exactitude %s</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Training cells</source>
      <translation>Cellules d'entraînement</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Cross-validation</source>
      <translation>Validation croisée</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>%d folds, %s</source>
      <translation>%d plis, %s</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Folds asked</source>
      <translation>Plis demandés</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Mean accuracy of the folds</source>
      <translation>Exactitude moyenne des plis</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>95% interval across folds</source>
      <translation>Intervalle à 95 % issu des plis</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Macro F1</source>
      <translation>F1 macro</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Spatial block size (map units)</source>
      <translation>Taille des blocs spatiaux (unités de carte)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Accuracy per fold</source>
      <translation>Exactitude par pli</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Classes without training cells</source>
      <translation>Classes sans cellules d'entraînement</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Confusion matrix (cross-validated cells)</source>
      <translation>Matrice de confusion (cellules en validation croisée)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>predicted class</source>
      <translation>classe prédite</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>labelled class</source>
      <translation>classe étiquetée</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Confusion matrix</source>
      <translation>Matrice de confusion</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Rows: the labelled class; columns: the class cross-validation predicted; the diagonal holds the correct cells.</source>
      <translation>Lignes : la classe étiquetée ; colonnes : la classe prédite en validation croisée ; la diagonale contient les cellules correctes.</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Confusion matrix: labelled class (rows) by predicted class (columns)</source>
      <translation>Matrice de confusion : classe étiquetée (lignes) par classe prédite (colonnes)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>labelled \ predicted</source>
      <translation>étiquetée \ prédite</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Per-class scores</source>
      <translation>Scores par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Precision, recall and F1 per class (cross-validated)</source>
      <translation>Précision, rappel et F1 par classe (validation croisée)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <location filename="../engine/report/series.py" />
      <source>Class</source>
      <translation>Classe</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/embedding.py" />
      <source>Precision</source>
      <translation>Précision</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Recall</source>
      <translation>Rappel</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>F1</source>
      <translation>F1</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Support (cells)</source>
      <translation>Effectif (cellules)</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Class sizes</source>
      <translation>Tailles des classes</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Training data and predicted area per class</source>
      <translation>Données d'entraînement et surface prédite par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <location filename="../engine/report/classifier.py" />
      <source>Code</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../engine/report/classification.py" />
      <source>Predicted cells</source>
      <translation>Cellules prédites</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>%s, cells of %g x %g</source>
      <translation>%s, cellules de %g x %g</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>The raster's embeddings</source>
      <translation>Les embeddings du raster</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Classifier file</source>
      <translation>Fichier du classifieur</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Fitted on</source>
      <translation>Entraîné sur</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>The classifier's embeddings</source>
      <translation>Les embeddings du classifieur</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Training cells per class</source>
      <translation>Cellules d'entraînement par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Cross-validated accuracy when fitted</source>
      <translation>Exactitude en validation croisée à l'entraînement</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Saved</source>
      <translation>Enregistré</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>%s by TerraEmbed %s</source>
      <translation>%s par TerraEmbed %s</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Cells of each class.</source>
      <translation>Cellules de chaque classe.</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Predicted cells per class</source>
      <translation>Cellules prédites par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Uncertainty</source>
      <translation>Incertitude</translation>
    </message>
    <message>
      <location filename="../engine/report/classifier.py" />
      <source>Apply classifier: %d classes</source>
      <translation>Appliquer un classifieur : %d classes</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>linear probe (logistic regression)</source>
      <translation>sonde linéaire (régression logistique)</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <location filename="../shared/catalogue.py" />
      <source>k nearest neighbours</source>
      <translation>k plus proches voisins</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>metre</source>
      <translation>mètres</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>degrees</source>
      <translation>degrés</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>foot</source>
      <translation>pieds</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>US survey foot</source>
      <translation>pieds US</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Rank</source>
      <translation>Rang</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Dimensions</source>
      <translation>Dimensions</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Cell size</source>
      <translation>Taille de cellule</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Labelled cells</source>
      <translation>Cellules étiquetées</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Probe accuracy</source>
      <translation>Exactitude de la sonde</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Probe 95%</source>
      <translation>Sonde 95 %</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Probe macro F1</source>
      <translation>F1 macro de la sonde</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>k-NN accuracy</source>
      <translation>Exactitude k-NN</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>k-NN 95%</source>
      <translation>k-NN 95 %</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>k-NN macro F1</source>
      <translation>F1 macro k-NN</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Against the best</source>
      <translation>Face au meilleur</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>best</source>
      <translation>meilleur</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>within the folds' spread of the best</source>
      <translation>dans la dispersion des plis du meilleur</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>worse than the best by %.1f percentage points (beyond the folds' spread)</source>
      <translation>moins bon que le meilleur de %.1f points de pourcentage (au-delà de la dispersion des plis)</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Rasters ranked by the linear probe's validated accuracy</source>
      <translation>Rasters classés selon l'exactitude validée de la sonde linéaire</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Validated accuracy, %s</source>
      <translation>Exactitude validée, %s</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Mean accuracy of the folds (dot) and its 95%% interval (bar), %s.</source>
      <translation>Exactitude moyenne des plis (point) et son intervalle à 95 %% (barre), %s.</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>The best raster's probe accuracy minus each other's, fold by fold (the same folds)</source>
      <translation>Exactitude de la sonde du meilleur raster moins celle de chaque autre, pli par pli (les mêmes plis)</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Difference</source>
      <translation>Différence</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <location filename="../engine/report/validation.py" />
      <source>95% low</source>
      <translation>95 % bas</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <location filename="../engine/report/validation.py" />
      <source>95% high</source>
      <translation>95 % haut</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Within the folds' spread</source>
      <translation>Dans la dispersion des plis</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Rasters compared</source>
      <translation>Rasters comparés</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>%d folds, %s (the same blocks and folds for every raster)</source>
      <translation>%d plis, %s (les mêmes blocs et plis pour chaque raster)</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>k (k-NN)</source>
      <translation>k (k-NN)</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Comparison</source>
      <translation>Comparaison</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <location filename="../engine/report/series.py" />
      <source>What was compared</source>
      <translation>Ce qui a été comparé</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Raster files</source>
      <translation>Fichiers raster</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Ranking</source>
      <translation>Classement</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>Differences</source>
      <translation>Différences</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>A difference whose 95% interval holds 0 is within the folds' spread: on these labels the two rasters cannot be told apart.</source>
      <translation>Une différence dont l'intervalle à 95 % inclut 0 est dans la dispersion des plis : sur ces étiquettes, les deux rasters ne se distinguent pas.</translation>
    </message>
    <message>
      <location filename="../engine/report/compare.py" />
      <source>best: %s (%s), %d rasters</source>
      <translation>meilleur : %s (%s), %d rasters</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Collection</source>
      <translation>Collection</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>First day</source>
      <translation>Premier jour</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Until (exclusive)</source>
      <translation>Jusqu'au (exclu)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Pixel values</source>
      <translation>Valeurs des pixels</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/settings_dialog.py" />
      <source>Cloud project</source>
      <translation>Projet Cloud</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Fetched at</source>
      <translation>Récupéré le</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>From the imagery cache</source>
      <translation>Depuis le cache d'imagerie</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>earthengine-api version</source>
      <translation>Version d'earthengine-api</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Earth Engine %s composite</source>
      <translation>Composite Earth Engine %s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Modality</source>
      <translation>Modalité</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Weights</source>
      <translation>Poids</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Pooling</source>
      <translation>Agrégation</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>model default</source>
      <translation>défaut du modèle</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%s (asked: %s)</source>
      <translation>%s (demandé : %s)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <location filename="../ui/settings_dialog.py" />
      <source>Batch size</source>
      <translation>Taille de lot</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>The model that computed the embeddings</source>
      <translation>Le modèle qui a calculé les embeddings</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>These embeddings come from random weights, not a pretrained model: they carry no meaning. Use them for tests only.</source>
      <translation>Ces embeddings viennent de poids aléatoires, pas d'un modèle pré-entraîné : ils n'ont aucun sens. Utilisez-les seulement pour des tests.</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Model and weights</source>
      <translation>Modèle et poids</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Bands</source>
      <translation>Bandes</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Filters</source>
      <translation>Filtres</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Pixel grid</source>
      <translation>Grille de pixels</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%s x %s pixels of %s m, %s</source>
      <translation>%s x %s pixels de %s m, %s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Cache key</source>
      <translation>Clé de cache</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Earth Engine imagery</source>
      <translation>Imagerie Earth Engine</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Where the imagery came from (Google Earth Engine)</source>
      <translation>D'où vient l'imagerie (Google Earth Engine)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>PCA of the embedding grid</source>
      <translation>ACP de la grille d'embeddings</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Explained variance per principal component</source>
      <translation>Variance expliquée par composante principale</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>explained variance</source>
      <translation>variance expliquée</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Explained variance ratio per component</source>
      <translation>Part de variance expliquée par composante</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Component</source>
      <translation>Composante</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Cumulative</source>
      <translation>Cumul</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Bars: share of the variance each component explains; line: cumulative share.</source>
      <translation>Barres : part de la variance qu'explique chaque composante ; ligne : part cumulée.</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>What was embedded</source>
      <translation>Ce qui a été traité</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Work done</source>
      <translation>Travail effectué</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Chips, cells and speed</source>
      <translation>Tuiles, cellules et vitesse</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Input copy</source>
      <translation>Copie de l'entrée</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Embeddings: %s</source>
      <translation>Embeddings : %s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%s, %s cells</source>
      <translation>%s, %s cellules</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Source</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>File</source>
      <translation>Fichier</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Bands (model order)</source>
      <translation>Bandes (ordre du modèle)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>matched by name</source>
      <translation>appariées par nom</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Scale factor</source>
      <translation>Facteur d'échelle</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>polygon</source>
      <translation>polygone</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>extent %s</source>
      <translation>emprise %s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>the whole raster</source>
      <translation>tout le raster</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Grid</source>
      <translation>Grille</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%d rows x %d columns of %.6g x %.6g map units</source>
      <translation>%d lignes x %d colonnes de %.6g x %.6g unités de carte</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>CRS</source>
      <translation>SCR</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Chips embedded</source>
      <translation>Tuiles traitées</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Chips in the area</source>
      <translation>Tuiles dans la zone</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Chips skipped (all nodata)</source>
      <translation>Tuiles ignorées (entièrement nodata)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Inference time</source>
      <translation>Temps d'inférence</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Throughput</source>
      <translation>Débit</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%.2f chips/s, %s cells/s</source>
      <translation>%.2f tuiles/s, %s cellules/s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Job time (all steps)</source>
      <translation>Durée du job (toutes étapes)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Features</source>
      <translation>Entités</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Features skipped</source>
      <translation>Entités ignorées</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%.2f features/s</source>
      <translation>%.2f entités/s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Features and speed</source>
      <translation>Entités et vitesse</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Features that were not embedded</source>
      <translation>Entités non traitées</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Feature (# in the layer)</source>
      <translation>Entité (n° dans la couche)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Reason</source>
      <translation>Raison</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Cells (grid cells in the features)</source>
      <translation>Cellules (cellules de grille dans les entités)</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Saved as GeoParquet</source>
      <translation>Enregistré en GeoParquet</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>Embeddings for features: %s</source>
      <translation>Embeddings d'entités : %s</translation>
    </message>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>%s of %s features embedded</source>
      <translation>%s entités traitées sur %s</translation>
    </message>
    <message>
      <location filename="../engine/report/page.py" />
      <source>%s (%d rows)</source>
      <translation>%s (%d lignes)</translation>
    </message>
    <message>
      <location filename="../engine/report/page.py" />
      <source>Written by %s on %s.</source>
      <translation>Écrit par %s le %s.</translation>
    </message>
    <message>
      <location filename="../engine/report/page.py" />
      <source>Job time</source>
      <translation>Durée du job</translation>
    </message>
    <message>
      <location filename="../engine/report/page.py" />
      <source>Files written and time taken</source>
      <translation>Fichiers écrits et temps pris</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>%d rasters in order</source>
      <translation>%d rasters dans l'ordre</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <location filename="../ui/source_box.py" />
      <source>Periods</source>
      <translation>Périodes</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>First and last period</source>
      <translation>Première et dernière période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>A change: a step of at least</source>
      <translation>Un changement : un pas d'au moins</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Cells with data in every period</source>
      <translation>Cellules avec des données à chaque période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Periods resampled onto the first one's grid</source>
      <translation>Périodes rééchantillonnées sur la grille de la première</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Cells per class of change</source>
      <translation>Cellules par classe de changement</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Classes of change</source>
      <translation>Classes de changement</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>stable: no step between consecutive periods at or above %g; one break: exactly one; repeated change: two or more.</source>
      <translation>stable : aucun pas entre périodes consécutives égal ou supérieur à %g ; une rupture : exactement un ; changement répété : deux ou plus.</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Cells per class of change.</source>
      <translation>Cellules par classe de changement.</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>mean distance to the first period</source>
      <translation>distance moyenne à la première période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>mean step from the previous period</source>
      <translation>pas moyen depuis la période précédente</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Change by period</source>
      <translation>Changement par période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>period</source>
      <translation>période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Breaks per period (changed cells)</source>
      <translation>Ruptures par période (cellules changées)</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>distance of %s to the first period</source>
      <translation>distance de %s à la première période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Distance to the first period and step from the previous one, by period.</source>
      <translation>Distance à la première période et pas depuis la précédente, par période.</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Cells of one break or repeated change whose largest step ends in each period.</source>
      <translation>Cellules à une rupture ou à changement répété dont le plus grand pas se termine à chaque période.</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Distribution per period</source>
      <translation>Distribution par période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Period</source>
      <translation>Période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Mean distance to the first</source>
      <translation>Distance moyenne à la première</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Mean step</source>
      <translation>Pas moyen</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Breaks (cells)</source>
      <translation>Ruptures (cellules)</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Histograms per period</source>
      <translation>Histogrammes par période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Timelines of the features (mean over their cells)</source>
      <translation>Évolutions des entités (moyenne sur leurs cellules)</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>cosine distance to the first period</source>
      <translation>distance cosinus à la première période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source> (the first %d features)</source>
      <translation> (les %d premières entités)</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Timelines of the features</source>
      <translation>Évolutions des entités</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Mean cosine distance of each feature's cells to the first period%s.</source>
      <translation>Distance cosinus moyenne des cellules de chaque entité à la première période%s.</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Distance to the first period</source>
      <translation>Distance à la première période</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Feature</source>
      <translation>Entité</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>Step from the previous period</source>
      <translation>Pas depuis la période précédente</translation>
    </message>
    <message>
      <location filename="../engine/report/series.py" />
      <source>%s, %d periods (%s to %s)</source>
      <translation>%s, %d périodes (%s à %s)</translation>
    </message>
    <message>
      <location filename="../engine/report/validation.py" />
      <source>Learning curve (%s)</source>
      <translation>Courbe d'apprentissage (%s)</translation>
    </message>
    <message>
      <location filename="../engine/report/validation.py" />
      <source>Learning curve</source>
      <translation>Courbe d'apprentissage</translation>
    </message>
    <message>
      <location filename="../engine/report/validation.py" />
      <source>Validated accuracy (mean of the folds, with its 95%% interval as a band) when each fold's training keeps at most this many labelled cells per class (%s). A curve still rising at the right says more labels would help.</source>
      <translation>Exactitude validée (moyenne des plis, avec son intervalle à 95 %% en bande) quand l'entraînement de chaque pli garde au plus ce nombre de cellules étiquetées par classe (%s). Une courbe qui monte encore à droite indique que davantage d'étiquettes aideraient.</translation>
    </message>
    <message>
      <location filename="../engine/report/validation.py" />
      <source>Accuracy by labelled cells per class</source>
      <translation>Exactitude selon les cellules étiquetées par classe</translation>
    </message>
    <message>
      <location filename="../engine/report/validation.py" />
      <source>Cells per class</source>
      <translation>Cellules par classe</translation>
    </message>
    <message>
      <location filename="../engine/session.py" />
      <source>Unknown session kind %r.</source>
      <translation>Type de session inconnu %r.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>The AlphaEarth source must be a dict.</source>
      <translation>La source AlphaEarth doit être un dict.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>The %s's area is %d x %d = %d cells at %g, over the cap of %d cells (max_pixels). Use a smaller %s or a coarser scale, or raise the cap.</source>
      <translation>L'emprise de %s fait %d x %d = %d cellules à %g, au-delà de la limite de %d cellules (max_pixels). Utilisez un(e) %s plus petit(e) ou une échelle plus grossière, ou relevez la limite.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>AlphaEarth (%s) has no embeddings over this area in any year. Choose an area on land or near the coast.</source>
      <translation>AlphaEarth (%s) n'a d'embeddings sur cette zone pour aucune année. Choisissez une zone sur terre ou près des côtes.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>AlphaEarth (%s) has no embeddings of %d over this area; it has %s. Choose one of those years.</source>
      <translation>AlphaEarth (%s) n'a pas d'embeddings de %d sur cette zone ; il a %s. Choisissez l'une de ces années.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>Earth Engine: AlphaEarth %d from the cache (%s)</source>
      <translation>Earth Engine : AlphaEarth %d depuis le cache (%s)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Connecting to Earth Engine</source>
      <translation>Connexion à Earth Engine</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>Earth Engine: %s, %d, %d tile(s) over the area (the area has %s)</source>
      <translation>Earth Engine : %s, %d, %d tuile(s) sur la zone (la zone en a %s)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>AlphaEarth is licensed %s: %s</source>
      <translation>AlphaEarth est sous licence %s : %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>AlphaEarth %d fetched on the grid raster's own grid of %d x %d cells (Earth Engine resamples its 10 m layer onto it).</source>
      <translation>AlphaEarth %d récupéré sur la grille propre du raster de grille, de %d x %d cellules (Earth Engine rééchantillonne sa couche de 10 m sur celle-ci).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>Could not store the embeddings in the cache %s: %s</source>
      <translation>Impossible de stocker les embeddings dans le cache %s : %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth.py" />
      <source>AlphaEarth %d fetched on the grid raster's cells cut into %d x %d cells of about 10 m, then averaged onto its grid (%d x %d cells; each the mean of the unit vectors it covers, masked cells left out).</source>
      <translation>AlphaEarth %d récupéré sur les cellules du raster de grille découpées en %d x %d cellules d'environ 10 m, puis moyenné sur sa grille (%d x %d cellules ; chacune est la moyenne des vecteurs unitaires qu'elle couvre, cellules masquées écartées).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth_grid.py" />
      <source>The grid raster %s does not exist. Choose an existing raster (e.g. an embedding grid).</source>
      <translation>Le raster de grille %s n'existe pas. Choisissez un raster existant (p. ex. une grille d'embeddings).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth_grid.py" />
      <source>The grid raster %s has no CRS, so AlphaEarth cannot be placed on it: set its CRS (e.g. with GDAL's Assign projection) or choose another raster.</source>
      <translation>Le raster de grille %s n'a pas de SCR, AlphaEarth ne peut donc pas y être placé : définissez son SCR (p. ex. avec Assigner une projection de GDAL) ou choisissez un autre raster.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/alphaearth_grid.py" />
      <source>The grid raster %s is rotated or not north-up; AlphaEarth is fetched on north-up grids only. Warp it to a north-up grid first (GDAL's Warp) or choose another raster.</source>
      <translation>Le raster de grille %s est tourné ou n'est pas orienté nord ; AlphaEarth n'est récupéré que sur des grilles orientées nord. Reprojetez-le d'abord sur une grille orientée nord (Reprojeter de GDAL) ou choisissez un autre raster.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>No Google Cloud project is set for Earth Engine. Set one in the plugin settings (Earth Engine project), in the source's 'project', or in the EE_PROJECT or GOOGLE_CLOUD_PROJECT environment variable; the project must be registered for Earth Engine (%s).</source>
      <translation>Aucun projet Google Cloud n'est défini pour Earth Engine. Définissez-en un dans les paramètres du plugin (projet Earth Engine), dans le 'project' de la source, ou dans la variable d'environnement EE_PROJECT ou GOOGLE_CLOUD_PROJECT ; le projet doit être enregistré pour Earth Engine (%s).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>No Earth Engine credentials found. Run `earthengine authenticate` once in a terminal of the runtime (or ee.Authenticate() in Python), or set a service-account key file (JSON) in the plugin settings or the source's 'service_account_key'.</source>
      <translation>Aucun identifiant Earth Engine trouvé. Lancez une fois `earthengine authenticate` dans un terminal du runtime (ou ee.Authenticate() en Python), ou définissez un fichier de clé de compte de service (JSON) dans les paramètres du plugin ou dans le 'service_account_key' de la source.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>The Earth Engine service-account key file %s does not exist.</source>
      <translation>Le fichier de clé de compte de service Earth Engine %s n'existe pas.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>The file %s is not a Google service-account key (a JSON file with type 'service_account', client_email and private_key, from the Cloud console).</source>
      <translation>Le fichier %s n'est pas une clé de compte de service Google (un fichier JSON avec type 'service_account', client_email et private_key, depuis la console Cloud).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>The service-account key file %s could not be read (bad private key).</source>
      <translation>Le fichier de clé de compte de service %s n'a pas pu être lu (clé privée invalide).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>The Earth Engine client (earthengine-api) is not available in the TerraEmbed runtime (%s). Run 'Install or update runtime'.</source>
      <translation>Le client Earth Engine (earthengine-api) n'est pas disponible dans le runtime TerraEmbed (%s). Lancez 'Installer ou mettre à jour le runtime'.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>Earth Engine: initialising (project %s, %s)</source>
      <translation>Earth Engine : initialisation (projet %s, %s)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>service account</source>
      <translation>compte de service</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/auth.py" />
      <source>user credentials</source>
      <translation>identifiants utilisateur</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/chunks.py" />
      <source>Earth Engine refuses even a %dx%d pixel request as too large; use a coarser scale or fewer dates.</source>
      <translation>Earth Engine refuse même une requête de %dx%d pixels comme trop grande ; utilisez une échelle plus grossière ou moins de dates.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/chunks.py" />
      <source>Earth Engine: request of %dx%d pixels too large; splitting it in two</source>
      <translation>Earth Engine : requête de %dx%d pixels trop grande ; découpage en deux</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/chunks.py" />
      <source>Earth Engine: fetching %d x %d pixels of %d bands in %d request(s), %d in parallel</source>
      <translation>Earth Engine : récupération de %d x %d pixels de %d bandes en %d requête(s), %d en parallèle</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/chunks.py" />
      <source>Fetching Earth Engine pixels</source>
      <translation>Récupération des pixels Earth Engine</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/chunks.py" />
      <source>Fetching Earth Engine pixels (%d/%d px)</source>
      <translation>Récupération des pixels Earth Engine (%d/%d px)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>No Copernicus DEM tile (%s) covers the AOI. Choose an area on land, or give a DEM raster.</source>
      <translation>Aucune tuile du MNT Copernicus (%s) ne couvre la zone d'intérêt. Choisissez une zone sur terre, ou fournissez un raster MNT.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>No Sentinel-2 image (%s) %s has at most %g%% cloudy pixels%s. Raise the cloud limit (max_cloud) or widen the dates.</source>
      <translation>Aucune image Sentinel-2 (%s) %s n'a au plus %g%% de pixels nuageux%s. Augmentez la limite de nuages (max_cloud) ou élargissez les dates.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source> with a cloud-probability match</source>
      <translation> avec une correspondance de probabilité de nuages</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>Earth Engine: no IW-mode Sentinel-1 image; retrying without the IW filter</source>
      <translation>Earth Engine : aucune image Sentinel-1 en mode IW ; nouvel essai sans le filtre IW</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>No Sentinel-1 image (%s) with both VV and VH %s%s%s. Widen the dates or the AOI%s.</source>
      <translation>Aucune image Sentinel-1 (%s) avec à la fois VV et VH %s%s%s. Élargissez les dates ou la zone d'intérêt%s.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source> in %s orbits</source>
      <translation> en orbites %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>, in IW mode or any other mode</source>
      <translation>, en mode IW ou tout autre mode</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source> in IW mode (relaxing the mode is off)</source>
      <translation> en mode IW (l'assouplissement du mode est désactivé)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/collections.py" />
      <source>, or drop the orbit filter</source>
      <translation>, ou retirez le filtre d'orbite</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Earth Engine: %s, %d image(s) %s..%s, filters %s</source>
      <translation>Earth Engine : %s, %d image(s) %s..%s, filtres %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Could not store the imagery in the cache %s: %s</source>
      <translation>Impossible de stocker l'imagerie dans le cache %s : %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Earth Engine imagery fetched</source>
      <translation>Imagerie Earth Engine récupérée</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Earth Engine: %s composite %s..%s from the cache (%s)</source>
      <translation>Earth Engine : composite %s %s..%s depuis le cache (%s)</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/fetch.py" />
      <source>Earth Engine imagery from the cache</source>
      <translation>Imagerie Earth Engine depuis le cache</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The %s date %r is not a date; use the ISO form YYYY-MM-DD.</source>
      <translation>La date de %s %r n'est pas une date ; utilisez la forme ISO AAAA-MM-JJ.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The start date %s is not before the end date %s; swap them or pick a later end date (the end date is exclusive).</source>
      <translation>La date de début %s n'est pas antérieure à la date de fin %s ; inversez-les ou choisissez une date de fin plus tardive (la date de fin est exclue).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The end date %s is in the future (today is %s, UTC); pick an end date up to tomorrow (the end date is exclusive).</source>
      <translation>La date de fin %s est dans le futur (nous sommes le %s, UTC) ; choisissez une date de fin au plus tard demain (la date de fin est exclue).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The Earth Engine source needs an AOI: {'bounds': [xmin, ymin, xmax, ymax], 'crs': ...}.</source>
      <translation>La source Earth Engine demande une zone d'intérêt : {'bounds': [xmin, ymin, xmax, ymax], 'crs': ...}.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The AOI bounds %r are not four numbers [xmin, ymin, xmax, ymax].</source>
      <translation>Les limites de la zone d'intérêt %r ne sont pas quatre nombres [xmin, ymin, xmax, ymax].</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The AOI bounds %r are empty or not finite (need xmin &lt; xmax, ymin &lt; ymax).</source>
      <translation>Les limites de la zone d'intérêt %r sont vides ou non finies (il faut xmin &lt; xmax, ymin &lt; ymax).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The output CRS is geographic, so the scale is in degrees; %s degrees is not a sensible pixel size. Use a projected CRS or a scale in degrees.</source>
      <translation>Le SCR de sortie est géographique, l'échelle est donc en degrés ; %s degrés n'est pas une taille de pixel raisonnable. Utilisez un SCR projeté ou une échelle en degrés.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The Earth Engine source must be a dict.</source>
      <translation>La source Earth Engine doit être un dictionnaire.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <location filename="../shared/jobs/sources.py" />
      <source>Unknown Earth Engine collection %r; use 'S2' (Sentinel-2 SR), 'S1' (Sentinel-1 GRD) or 'DEM' (Copernicus DEM GLO-30).</source>
      <translation>Collection Earth Engine inconnue %r ; utilisez 'S2' (Sentinel-2 SR), 'S1' (Sentinel-1 GRD) ou 'DEM' (MNT Copernicus GLO-30).</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/request.py" />
      <source>The AOI is %d x %d = %d pixels at scale %g, over the cap of %d pixels (max_pixels). Use a smaller AOI or a coarser scale, or raise the cap.</source>
      <translation>La zone d'intérêt fait %d x %d = %d pixels à l'échelle %g, au-delà du plafond de %d pixels (max_pixels). Utilisez une zone plus petite ou une échelle plus grossière, ou relevez le plafond.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Earth Engine refused %s: quota or rate limit exceeded (HTTP 429: %s), still after %d attempts. Wait a few minutes and run again, lower 'workers' (parallel requests), or check the Earth Engine quota of the Cloud project. Imagery fetched before is served from the cache.</source>
      <translation>Earth Engine a refusé %s : quota ou limite de débit dépassé (HTTP 429 : %s), toujours après %d tentatives. Attendez quelques minutes et relancez, réduisez 'workers' (requêtes parallèles), ou vérifiez le quota Earth Engine du projet Cloud. L'imagerie déjà récupérée est servie depuis le cache.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Earth Engine kept failing on %s (HTTP %d: %s), %d attempts. The service may be having problems; try again later.</source>
      <translation>Earth Engine a échoué à répétition sur %s (HTTP %d : %s), %d tentatives. Le service a peut-être des problèmes ; réessayez plus tard.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Cannot reach Earth Engine for %s (%s: %s), %d attempts. Check the internet connection or proxy and try again; imagery fetched before is served from the cache without a connection.</source>
      <translation>Impossible de joindre Earth Engine pour %s (%s : %s), %d tentatives. Vérifiez la connexion internet ou le proxy et réessayez ; l'imagerie déjà récupérée est servie depuis le cache sans connexion.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Earth Engine did not accept the credentials (%s). Run `earthengine authenticate` again, or check the service-account key file.</source>
      <translation>Earth Engine n'a pas accepté les identifiants (%s). Lancez à nouveau `earthengine authenticate`, ou vérifiez le fichier de clé de compte de service.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>The Cloud project %r cannot use Earth Engine with these credentials (%s). Register the project for Earth Engine at %s and enable the Earth Engine API, or set another project (EE_PROJECT or the plugin setting); a service account also needs the Earth Engine role on it.</source>
      <translation>Le projet Cloud %r ne peut pas utiliser Earth Engine avec ces identifiants (%s). Enregistrez le projet pour Earth Engine sur %s et activez l'API Earth Engine, ou définissez un autre projet (EE_PROJECT ou le paramètre du plugin) ; un compte de service doit aussi y avoir le rôle Earth Engine.</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Earth Engine could not compute %s: %s</source>
      <translation>Earth Engine n'a pas pu calculer %s : %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine/retry.py" />
      <source>Earth Engine: %s failed (%s); retry %d of %d in %.1f s</source>
      <translation>Earth Engine : %s a échoué (%s) ; nouvel essai %d sur %d dans %.1f s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine_job.py" />
      <source>Earth Engine composite written to %s</source>
      <translation>Composite Earth Engine écrit dans %s</translation>
    </message>
    <message>
      <location filename="../engine/sources/earthengine_job.py" />
      <source>AlphaEarth embeddings of %d written to %s</source>
      <translation>Embeddings AlphaEarth de %d écrits dans %s</translation>
    </message>
    <message>
      <location filename="../models/device.py" />
      <source>Unknown device %r; use one of: %s.</source>
      <translation>Périphérique inconnu %r ; utilisez l'un de : %s.</translation>
    </message>
    <message>
      <location filename="../models/device.py" />
      <source>The thread count must be at least 1 (got %s).</source>
      <translation>Le nombre de threads doit être au moins 1 (reçu %s).</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>Model input must be an image stack (bands, rows, columns); got an array of shape %s.</source>
      <translation>L'entrée du modèle doit être une pile d'images (bandes, lignes, colonnes) ; reçu un tableau de forme %s.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>Model '%s' needs %d bands (%s, in this order); the input has %d.</source>
      <translation>Le modèle '%s' demande %d bandes (%s, dans cet ordre) ; l'entrée en a %d.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The model input is empty (shape %s).</source>
      <translation>L'entrée du modèle est vide (forme %s).</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The input for model '%s' has %d non-finite values (NaN or infinity; nodata?). Fill or mask nodata before embedding.</source>
      <translation>L'entrée du modèle '%s' a %d valeurs non finies (NaN ou infini ; nodata ?). Remplissez ou masquez le nodata avant le calcul des embeddings.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The Sentinel-1 input looks like decibels (most values are negative), but model '%s' needs linear backscatter (e.g. COPERNICUS/S1_GRD_FLOAT). Convert with linear = 10 ** (dB / 10) (the 'convert dB to linear' option), or use linear-scale data.</source>
      <translation>L'entrée Sentinel-1 semble être en décibels (la plupart des valeurs sont négatives), mais le modèle '%s' demande une rétrodiffusion linéaire (par exemple COPERNICUS/S1_GRD_FLOAT). Convertissez avec linéaire = 10 ** (dB / 10) (l'option 'convertir les dB en linéaire'), ou utilisez des données en échelle linéaire.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The DEM for model '%s' reaches %.0f, higher than any elevation in metres (Mount Everest is 8849 m): is it in feet (or another unit)? TerraMind needs metres: convert it (feet x 0.3048, e.g. with the Raster Calculator), or tag its band unit as feet ('ft') so TerraEmbed converts it.</source>
      <translation>Le MNT du modèle '%s' atteint %.0f, plus que toute altitude en mètres (l'Everest culmine à 8849 m) : est-il en pieds (ou dans une autre unité) ? TerraMind demande des mètres : convertissez-le (pieds x 0,3048, par exemple avec la calculatrice raster), ou indiquez l'unité de sa bande en pieds ('ft') pour que TerraEmbed le convertisse.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>CPU: %s.</source>
      <translation>CPU : %s.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <location filename="../shared/jobs/embedding.py" />
      <source>Unknown weights option(s) %s; known: %s.</source>
      <translation>Option(s) de poids inconnue(s) %s ; connues : %s.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>Model '%s' supports pooling %s, not %r.</source>
      <translation>Le modèle '%s' accepte l'agrégation %s, pas %r.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source> or </source>
      <translation> ou </translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The patch-embedding branch option only applies to TerraFM models.</source>
      <translation>L'option de branche de patch-embedding ne s'applique qu'aux modèles TerraFM.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>TerraFM branch must be 'auto', 'l1c' or 'l2a' (got %r).</source>
      <translation>La branche TerraFM doit être 'auto', 'l1c' ou 'l2a' (reçu %r).</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>The L1C/L2A branch option applies to the Sentinel-2 TerraFM model only.</source>
      <translation>L'option de branche L1C/L2A ne s'applique qu'au modèle TerraFM Sentinel-2.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>Loading %s ...</source>
      <translation>Chargement de %s ...</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>Model %s uses %s.</source>
      <translation>Le modèle %s utilise %s.</translation>
    </message>
    <message>
      <location filename="../models/loader.py" />
      <source>%s on %s (%s%s): %s</source>
      <translation>%s sur %s (%s%s) : %s</translation>
    </message>
    <message>
      <location filename="../models/precision.py" />
      <source>Unknown precision %r; use one of: %s.</source>
      <translation>Précision inconnue %r ; utilisez l'une de : %s.</translation>
    </message>
    <message>
      <location filename="../models/registry.py" />
      <source>Unknown model %r. Valid models: %s.</source>
      <translation>Modèle inconnu %r. Modèles valides : %s.</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>random-init (NOT pretrained; embeddings are meaningless)</source>
      <translation>poids aléatoires (NON pré-entraînés ; les embeddings n'ont aucun sens)</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>huggingface_hub is not installed in the TerraEmbed runtime (%s). Run 'Install or update runtime', or choose a local weights file for '%s'.</source>
      <translation>huggingface_hub n'est pas installé dans le runtime TerraEmbed (%s). Lancez 'Installer ou mettre à jour le runtime', ou choisissez un fichier de poids local pour '%s'.</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights for model '%s' (file %s in the Hugging Face repository %s) are not available: %s. %s</source>
      <translation>Les poids du modèle '%s' (fichier %s du dépôt Hugging Face %s) ne sont pas disponibles : %s. %s</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights file for model '%s' is a folder: %s. A weights file is expected (%s from %s, or a .pth/.safetensors file of the same model): choose the file itself in the TerraEmbed settings or the algorithm's weights file option.</source>
      <translation>Le fichier de poids du modèle '%s' est un dossier : %s. Un fichier de poids est attendu (%s depuis %s, ou un fichier .pth/.safetensors du même modèle) : choisissez le fichier lui-même dans les paramètres de TerraEmbed ou dans l'option de fichier de poids de l'algorithme.</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights file for model '%s' was not found: %s. Check the local weights path in the TerraEmbed settings (expected %s from %s).</source>
      <translation>Le fichier de poids du modèle '%s' est introuvable : %s. Vérifiez le chemin des poids locaux dans les paramètres de TerraEmbed (attendu : %s depuis %s).</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>no answer</source>
      <translation>aucune réponse</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>its file list could not be read either (%s)</source>
      <translation>sa liste de fichiers n'a pas pu être lue non plus (%s)</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>it has: %s</source>
      <translation>il contient : %s</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>no files</source>
      <translation>aucun fichier</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The Hugging Face repository %s has no file %s, the weights of model '%s'; %s. If one of them is this model's checkpoint, download it from https://huggingface.co/%s and set it as the local weights file for model '%s' in the TerraEmbed settings (or the algorithm's weights file option).</source>
      <translation>Le dépôt Hugging Face %s n'a pas de fichier %s, les poids du modèle '%s' ; %s. Si l'un d'eux est le checkpoint de ce modèle, téléchargez-le depuis https://huggingface.co/%s et définissez-le comme fichier de poids local du modèle '%s' dans les paramètres de TerraEmbed (ou dans l'option de fichier de poids de l'algorithme).</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights file %s does not exist.</source>
      <translation>Le fichier de poids %s n'existe pas.</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>Cannot read the safetensors weights file %s: %s: %s</source>
      <translation>Impossible de lire le fichier de poids safetensors %s : %s : %s</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>Cannot read the weights file %s safely (torch.load weights_only=True): %s: %s. Only plain tensor checkpoints are accepted; the file may also be corrupted or incomplete.</source>
      <translation>Impossible de lire le fichier de poids %s de façon sûre (torch.load weights_only=True) : %s : %s. Seuls les checkpoints de tenseurs simples sont acceptés ; le fichier peut aussi être corrompu ou incomplet.</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights file %s does not contain a plain state dict (name -&gt; tensor).</source>
      <translation>Le fichier de poids %s ne contient pas un simple state dict (nom -&gt; tenseur).</translation>
    </message>
    <message>
      <location filename="../models/weights.py" />
      <source>The weights file %s does not match the model: %s. Use the original file (delete a corrupted or partial download and fetch it again).</source>
      <translation>Le fichier de poids %s ne correspond pas au modèle : %s. Utilisez le fichier d'origine (supprimez un téléchargement corrompu ou partiel et récupérez-le à nouveau).</translation>
    </message>
    <message>
      <location filename="../plugin.py" />
      <source>The translation file %s cannot be read (damaged?); TerraEmbed is shown in English.</source>
      <translation>Le fichier de traduction %s ne peut pas être lu (endommagé ?) ; TerraEmbed est affiché en anglais.</translation>
    </message>
    <message>
      <location filename="../shared/contract.py" />
      <source>The job needs %r.</source>
      <translation>La tâche a besoin de %r.</translation>
    </message>
    <message>
      <location filename="../shared/contract.py" />
      <location filename="../shared/jobs/embedding.py" />
      <source>%s must be text, got %r.</source>
      <translation>%s doit être un texte, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/contract.py" />
      <source>%s must be an object of keys {...}, got %r.</source>
      <translation>%s doit être un objet de clés {...}, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/errors.py" />
      <source>The %s %r is not a raster GDAL can read, or the file is corrupt or truncated (GDAL: %s). Choose a GeoTIFF or another raster file, or export or download it again.</source>
      <translation>Le %s %r n'est pas un raster lisible par GDAL, ou le fichier est corrompu ou tronqué (GDAL : %s). Choisissez un GeoTIFF ou un autre fichier raster, ou exportez-le ou téléchargez-le à nouveau.</translation>
    </message>
    <message>
      <location filename="../shared/errors.py" />
      <source>The %s %r holds complex values (%s, such as Sentinel-1 SLC data); TerraEmbed reads real values only and would drop the imaginary part. Convert it to real values first: the amplitude or intensity (e.g. `gdal_translate` with a VRT using the 'mod' or 'intensity' pixel function, or the Raster Calculator), or use Sentinel-1 GRD backscatter.</source>
      <translation>Le %s %r contient des valeurs complexes (%s, comme les données Sentinel-1 SLC) ; TerraEmbed ne lit que des valeurs réelles et perdrait la partie imaginaire. Convertissez-le d'abord en valeurs réelles : l'amplitude ou l'intensité (par exemple `gdal_translate` avec un VRT utilisant la fonction de pixel 'mod' ou 'intensity', ou la calculatrice raster), ou utilisez la rétrodiffusion Sentinel-1 GRD.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'k_range' must be two whole numbers [min, max], got %r.</source>
      <translation>'k_range' doit être deux nombres entiers [min, max], reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'k_range' must satisfy 2 &lt;= min &lt;= max, got %r.</source>
      <translation>'k_range' doit vérifier 2 &lt;= min &lt;= max, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'%s' must be {"geometries": [WKT, ...]} or {"vectors": [[one value per band], ...]}.</source>
      <translation>'%s' doit être {"geometries": [WKT, ...]} ou {"vectors": [[une valeur par bande], ...]}.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>The job's 'threshold' (with negatives)</source>
      <translation>Le paramètre 'threshold' du job (avec exemples négatifs)</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>The job's 'threshold' (without negatives)</source>
      <translation>Le paramètre 'threshold' du job (sans exemples négatifs)</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'inputs' must be a list of embedding raster paths, one per period, in order.</source>
      <translation>'inputs' doit être une liste de chemins de rasters d'embeddings, un par période, dans l'ordre.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'labels' must be a list of texts, one per period, got %r.</source>
      <translation>'labels' doit être une liste de textes, un par période, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/analysis.py" />
      <source>'features' must be a list of {"wkt": WKT in the series' CRS, "name": text}.</source>
      <translation>'features' doit être une liste de {"wkt": WKT dans le SCR de la série, "name": texte}.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/classify.py" />
      <source>The job needs 'labels': a list of {"wkt": geometry, "label": class}.</source>
      <translation>Le job demande 'labels' : une liste de {"wkt": géométrie, "label": classe}.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/classify.py" />
      <source>Label %d must be {"wkt": geometry, "label": class}, got %r.</source>
      <translation>L'étiquette %d doit être {"wkt": géométrie, "label": classe}, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/classify.py" />
      <source>Label %d has an empty class name.</source>
      <translation>L'étiquette %d a un nom de classe vide.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/classify.py" />
      <source>Compare embeddings needs 'rasters': a list of 2 or more embedding raster files.</source>
      <translation>Comparer des embeddings nécessite 'rasters' : une liste de 2 fichiers raster d'embeddings ou plus.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/classify.py" />
      <source>'names' must be a list of one name per raster (%d), got %r.</source>
      <translation>'names' doit être une liste d'un nom par raster (%d), reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/embedding.py" />
      <source>%s must be a list, got %r.</source>
      <translation>%s doit être une liste, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/embedding.py" />
      <source>Unknown source kind %r: use one of %s.</source>
      <translation>Type de source inconnu %r : utilisez l'un de %s.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/embedding.py" />
      <source>Each of the job's periods needs a label, a start and an end (ISO dates).</source>
      <translation>Chaque période du job nécessite un libellé, un début et une fin (dates ISO).</translation>
    </message>
    <message>
      <location filename="../shared/jobs/sources.py" />
      <source>s1_orbit must be %s or empty, not %r.</source>
      <translation>s1_orbit doit être %s ou vide, pas %r.</translation>
    </message>
    <message>
      <location filename="../shared/jobs/sources.py" />
      <source>The AlphaEarth year ('%s')</source>
      <translation>L'année AlphaEarth ('%s')</translation>
    </message>
    <message>
      <location filename="../shared/keys.py" />
      <source>The job's %r</source>
      <translation>Le paramètre %r du job</translation>
    </message>
    <message>
      <location filename="../shared/keys.py" />
      <source>%s must be true or false, got %r.</source>
      <translation>%s doit être true ou false, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/keys.py" />
      <source>%s must be one of %s, got %r.</source>
      <translation>%s doit être l'une des valeurs %s, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/keys.py" />
      <source>The job needs %r: a file path.</source>
      <translation>Le job demande %r : un chemin de fichier.</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>between %s and %s</source>
      <translation>entre %s et %s</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>at least %s</source>
      <translation>au moins %s</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>at most %s</source>
      <translation>au plus %s</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>, got %r.</source>
      <translation>, reçu %r.</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>%s must be a number %s</source>
      <translation>%s doit être un nombre %s</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>%s must be a whole number %s</source>
      <translation>%s doit être un nombre entier %s</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>%s must be %s, got %s.</source>
      <translation>%s doit être %s, reçu %s.</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>0 = the model's default</source>
      <translation>0 = valeur par défaut du modèle</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>e.g. 10000 for reflectance stored as 0..1</source>
      <translation>par exemple 10000 pour une réflectance stockée en 0..1</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>0 = automatic</source>
      <translation>0 = automatique</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>0 = no cross-validation</source>
      <translation>0 = pas de validation croisée</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>map units; 0 = automatic</source>
      <translation>unités de carte ; 0 = automatique</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>0 = 5 cells</source>
      <translation>0 = 5 cellules</translation>
    </message>
    <message>
      <location filename="../shared/limits.py" />
      <source>and a year the collection has</source>
      <translation>et une année que la collection possède</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>%s: not an exact pin: %r</source>
      <translation>%s : pas une version exacte : %r</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>Unknown torch build %r; use one of %s.</source>
      <translation>Build de torch inconnu %r ; utilisez l'un de %s.</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>PyPI's torch for Windows runs on the CPU only; the CUDA build comes only from the PyTorch CUDA index (https://download.pytorch.org/whl/), which could not be reached.</source>
      <translation>Le torch de PyPI pour Windows ne fonctionne que sur le CPU ; le build CUDA ne vient que de l'index CUDA de PyTorch (https://download.pytorch.org/whl/), qui n'a pas pu être joint.</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>The PyTorch CPU index (%s) could not be used; PyPI's build also runs on the CPU, it is only larger</source>
      <translation>L'index CPU de PyTorch (%s) n'a pas pu être utilisé ; le build de PyPI fonctionne aussi sur le CPU, il est seulement plus volumineux</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>missing: %s==%s</source>
      <translation>manquant : %s==%s</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>wrong version: %s %s (lock: %s)</source>
      <translation>mauvaise version : %s %s (verrou : %s)</translation>
    </message>
    <message>
      <location filename="../shared/locks.py" />
      <source>not in the lock: %s %s</source>
      <translation>absent du verrou : %s %s</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%r is not a year (1900 to 2200). Type periods like %s.</source>
      <translation>%r n'est pas une année (1900 à 2200). Saisissez les périodes ainsi : %s.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>Unknown split %r: use :seasons, :quarters or :months after a year.</source>
      <translation>Découpage inconnu %r : utilisez :seasons, :quarters ou :months après une année.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%r is not a date: write dates as YYYY-MM-DD, e.g. 2024-03-01.</source>
      <translation>%r n'est pas une date : écrivez les dates au format AAAA-MM-JJ, par exemple 2024-03-01.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The period %s ends before it starts: write start/end with the later date second, e.g. %s/%s.</source>
      <translation>La période %s se termine avant de commencer : écrivez début/fin avec la date la plus tardive en second, par exemple %s/%s.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%r has no month %d: months are 01 to 12.</source>
      <translation>%r n'a pas de mois %d : les mois vont de 01 à 12.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%s counts backwards: write the earlier year first, e.g. %d..%d.</source>
      <translation>%s compte à rebours : écrivez d'abord l'année la plus ancienne, par exemple %d..%d.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The periods %r have an empty item between two commas; remove it.</source>
      <translation>Les périodes %r ont un élément vide entre deux virgules ; supprimez-le.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%d periods is more than a series holds (%s); split the series or use fewer periods.</source>
      <translation>%d périodes, c'est plus que ce que contient une série (%s) ; découpez la série ou utilisez moins de périodes.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The period %s/%s ends before it starts.</source>
      <translation>La période %s/%s se termine avant de commencer.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The period %s (%s) comes after %s (%s) but starts earlier: list the periods in time order, e.g. %s.</source>
      <translation>La période %s (%s) vient après %s (%s) mais commence plus tôt : listez les périodes dans l'ordre chronologique, par exemple %s.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The periods %s (%s) and %s (%s) overlap: let each period end where or before the next begins, e.g. %s/%s.</source>
      <translation>Les périodes %s (%s) et %s (%s) se chevauchent : faites finir chaque période au début de la suivante ou avant, par exemple %s/%s.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>The period %s is listed twice; list each period once.</source>
      <translation>La période %s est listée deux fois ; listez chaque période une seule fois.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>A series needs at least two periods (got %d): to compare two dates use Change between dates; for one date range leave the periods empty.</source>
      <translation>Une série nécessite au moins deux périodes (%d donnée(s)) : pour comparer deux dates, utilisez Changement entre dates ; pour une seule période, laissez les périodes vides.</translation>
    </message>
    <message>
      <location filename="../shared/periods.py" />
      <source>%s (%s) is not a calendar year: %s has one layer per year. Type years, e.g. 2017..2025 or 2019,2021,2023.</source>
      <translation>%s (%s) n'est pas une année civile : %s a une couche par année. Saisissez des années, p. ex. 2017..2025 ou 2019,2021,2023.</translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>The runtime has locks for %s, each with Python %s.</source>
      <translation>Le runtime a des verrous pour %s, chacun avec Python %s.</translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>This is a %d-bit Python; PyTorch exists for 64-bit Pythons only. Install the 64-bit QGIS (or a 64-bit Python). %s</source>
      <translation>Ce Python est en %d bits ; PyTorch n'existe que pour les Python 64 bits. Installez la version 64 bits de QGIS (ou un Python 64 bits). %s</translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>Intel Macs (macOS x86_64) are not supported: PyTorch has published no build for them since torch 2.2, and terratorch needs a newer one. Use a Mac with Apple silicon running the arm64 QGIS (not under Rosetta), or point the runtime setting at a Python environment you made yourself. </source>
      <translation>Les Mac Intel (macOS x86_64) ne sont pas pris en charge : PyTorch n'a publié aucun build pour eux depuis torch 2.2, et terratorch en demande un plus récent. Utilisez un Mac Apple silicon avec le QGIS arm64 (pas sous Rosetta), ou pointez le paramètre du runtime vers un environnement Python que vous avez créé vous-même. </translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>There is no runtime lock for %s on %s. %s Point the runtime setting at a Python environment you made yourself (see docs/RUNTIME.md).</source>
      <translation>Il n'y a pas de verrou de runtime pour %s sur %s. %s Pointez le paramètre du runtime vers un environnement Python que vous avez créé vous-même (voir docs/RUNTIME.md).</translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>an unknown machine</source>
      <translation>une machine inconnue</translation>
    </message>
    <message>
      <location filename="../shared/platforms.py" />
      <source>Python %s has no runtime lock; the runtime needs Python %s. Install one of those (QGIS's own Python is used when it is one of them) and choose it in the 'Base Python' option.</source>
      <translation>Python %s n'a pas de verrou de runtime ; le runtime demande Python %s. Installez l'un d'eux (le Python de QGIS est utilisé s'il en fait partie) et choisissez-le dans l'option 'Python de base'.</translation>
    </message>
    <message>
      <location filename="../shared/space.py" />
      <source>Free some space or choose another folder</source>
      <translation>Libérez de l'espace ou choisissez un autre dossier</translation>
    </message>
    <message>
      <location filename="../shared/space.py" />
      <source>Not enough free space in %s: the %s %s about %s (and %s to spare), only %s are free. %s; nothing was written.</source>
      <translation>Pas assez d'espace libre dans %s : « %s » %s environ %s (plus %s de marge), seuls %s sont libres. %s ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../shared/space.py" />
      <source>need</source>
      <translation>demandent</translation>
    </message>
    <message>
      <location filename="../shared/space.py" />
      <source>needs</source>
      <translation>demande</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s %s is also an input%s; choose another file name (nothing was written).</source>
      <translation>La sortie « %s » %s est aussi une entrée%s ; choisissez un autre nom de fichier (rien n'a été écrit).</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source> (the same file as %s)</source>
      <translation> (le même fichier que %s)</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The file name of the %s is too long: %s has %d bytes, the file system of %s takes at most %d. Choose a shorter name.</source>
      <translation>Le nom de fichier de la sortie « %s » est trop long : %s fait %d octets, le système de fichiers de %s en accepte au plus %d. Choisissez un nom plus court.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s needs a file name.</source>
      <translation>La sortie « %s » demande un nom de fichier.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The file %s is given for two outputs (the %s%s); give the %s its own file.</source>
      <translation>Le fichier %s est donné pour deux sorties (« %s »%s) ; donnez à « %s » son propre fichier.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>, as %s</source>
      <translation>, en tant que %s</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s destination %s is a folder; give a file name such as %s.</source>
      <translation>La destination de la sortie « %s », %s, est un dossier ; donnez un nom de fichier comme %s.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s %s must be one of these formats: %s. Use one of these extensions.</source>
      <translation>La sortie « %s » %s doit être dans l'un de ces formats : %s. Utilisez l'une de ces extensions.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s %s was not announced by the plugin; update the plugin and its runtime together.</source>
      <translation>La sortie « %s » %s n'a pas été annoncée par le plugin ; mettez à jour le plugin et son runtime ensemble.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Cannot save the %s as %s: %s is a file, not a folder. Choose another destination.</source>
      <translation>Impossible d'enregistrer la sortie « %s » sous %s : %s est un fichier, pas un dossier. Choisissez une autre destination.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Cannot create the folder %s for the %s (%s). Choose another destination.</source>
      <translation>Impossible de créer le dossier %s pour la sortie « %s » (%s). Choisissez une autre destination.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Cannot save the %s in %s: the folder is not writable (%s). Choose another destination.</source>
      <translation>Impossible d'enregistrer la sortie « %s » dans %s : le dossier n'est pas accessible en écriture (%s). Choisissez une autre destination.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>The %s was not written (%s is missing); nothing was saved.</source>
      <translation>La sortie « %s » n'a pas été écrite (%s est manquant) ; rien n'a été enregistré.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Cannot write the %s in %s (%s). Choose a writable folder; nothing was written.</source>
      <translation>Impossible d'écrire la sortie « %s » dans %s (%s). Choisissez un dossier accessible en écriture ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>No space left on the device of %s while writing the %s (%s): %s free%s. Free some space or choose another folder; nothing was written.</source>
      <translation>Plus d'espace sur le périphérique de %s pendant l'écriture de la sortie « %s » (%s) : %s libres%s. Libérez de l'espace ou choisissez un autre dossier ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>, the outputs need about %s</source>
      <translation>, les sorties demandent environ %s</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Could not replace the existing %s %s (%s): it may be read-only, locked or open in another program. Make it writable or close it (or choose another file name); nothing was changed.</source>
      <translation>Impossible de remplacer la sortie existante « %s » %s (%s) : elle est peut-être en lecture seule, verrouillée ou ouverte dans un autre programme. Rendez-la accessible en écriture ou fermez-la (ou choisissez un autre nom de fichier) ; rien n'a été modifié.</translation>
    </message>
    <message>
      <location filename="../shared/transaction.py" />
      <source>Could not save the %s as %s (%s). Choose a writable folder; nothing was changed.</source>
      <translation>Impossible d'enregistrer la sortie « %s » sous %s (%s). Choisissez un dossier accessible en écriture ; rien n'a été modifié.</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>Install it with the Processing algorithm 'TerraEmbed &gt; Setup &gt; Install or update runtime' (terraembed:install_runtime), or run the README's setup command; or set the runtime Python in the TerraEmbed settings.</source>
      <translation>Installez-le avec l'algorithme de traitement 'TerraEmbed &gt; Installation &gt; Installer ou mettre à jour le runtime' (terraembed:install_runtime), ou lancez la commande d'installation du README ; ou définissez le Python du runtime dans les paramètres de TerraEmbed.</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>exit code %s</source>
      <translation>code de sortie %s</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>signal %d</source>
      <translation>signal %d</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>stopped by %s (a stop request)</source>
      <translation>arrêté par %s (une demande d'arrêt)</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>killed by SIGKILL (by a user, or by the system when memory ran out)</source>
      <translation>tué par SIGKILL (par un utilisateur, ou par le système quand la mémoire était épuisée)</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>killed by %s</source>
      <translation>tué par %s</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>The TerraEmbed runtime was not found (looked for its Python at %s). %s</source>
      <translation>Le runtime TerraEmbed est introuvable (son Python a été cherché dans %s). %s</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>Could not start the TerraEmbed runtime (%s): %s. %s</source>
      <translation>Impossible de démarrer le runtime TerraEmbed (%s) : %s. %s</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <location filename="../shell/session.py" />
      <source>The runtime speaks protocol %r, the plugin %d. Update the runtime.</source>
      <translation>Le runtime parle le protocole %r, le plugin %d. Mettez le runtime à jour.</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>
Last lines of the runtime's log:
</source>
      <translation>
Dernières lignes du journal du runtime :
</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>The runtime reported an error.</source>
      <translation>Le runtime a signalé une erreur.</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source>The TerraEmbed runtime stopped unexpectedly (%s); nothing was written.</source>
      <translation>Le runtime TerraEmbed s'est arrêté de façon inattendue (%s) ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source> A package is missing from the runtime: %s</source>
      <translation> Un paquet manque dans le runtime : %s</translation>
    </message>
    <message>
      <location filename="../shell/client.py" />
      <source> Last lines of its log:
</source>
      <translation> Dernières lignes de son journal :
</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Command failed (exit code %d): %s
%s</source>
      <translation>La commande a échoué (code de sortie %d) : %s
%s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The runtime at %s does not start; recreating it.</source>
      <translation>Le runtime dans %s ne démarre pas ; il est recréé.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The broken runtime at %s could not be removed (a file in it is in use). Close QGIS and delete the folder, then run this again.</source>
      <translation>Le runtime endommagé dans %s n'a pas pu être supprimé (un de ses fichiers est en cours d'utilisation). Fermez QGIS et supprimez le dossier, puis relancez.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The folder %s is not empty and holds no runtime. Choose an empty or new folder for the runtime.</source>
      <translation>Le dossier %s n'est pas vide et ne contient pas de runtime. Choisissez un dossier vide ou nouveau pour le runtime.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The base Python %s does not run. %s</source>
      <translation>Le Python de base %s ne s'exécute pas. %s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Creating the runtime venv at %s with %s</source>
      <translation>Création du venv du runtime dans %s avec %s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Could not create a venv with %s. On Debian/Ubuntu install the venv module: sudo apt install python3-venv
%s</source>
      <translation>Impossible de créer un venv avec %s. Sous Debian/Ubuntu, installez le module venv : sudo apt install python3-venv
%s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The lock %s is missing; reinstall the plugin. %s</source>
      <translation>Le verrou %s est manquant ; réinstallez le plugin. %s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The runtime at %s was made with Python %s, but this lock is for Python %s. Choose another runtime folder (or delete this one) and run this again; the old runtime is left as it is.</source>
      <translation>Le runtime dans %s a été créé avec Python %s, mais ce verrou est pour Python %s. Choisissez un autre dossier de runtime (ou supprimez celui-ci) et relancez ; l'ancien runtime est laissé tel quel.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Installing %d pinned package(s).</source>
      <translation>Installation de %d paquet(s) épinglé(s).</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Removing packages the lock does not name: %s</source>
      <translation>Suppression des paquets que le verrou ne nomme pas : %s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Cannot write beside the runtime folder %s (%s). Choose a runtime folder you can write to.</source>
      <translation>Impossible d'écrire à côté du dossier du runtime %s (%s). Choisissez un dossier de runtime où vous pouvez écrire.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Removing the unfinished runtime at %s.</source>
      <translation>Suppression du runtime inachevé dans %s.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Torch build: %s%s</source>
      <translation>Build de torch : %s%s</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source> (auto)</source>
      <translation> (auto)</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Keeping the test tools (dev.lock) installed earlier.</source>
      <translation>Conservation des outils de test (dev.lock) installés auparavant.</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>%s (%s). Installing PyPI's torch build instead (%s build).</source>
      <translation>%s (%s). Installation du build de torch de PyPI à la place (build %s).</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>The runtime does not match the lock after installing:
</source>
      <translation>Le runtime ne correspond pas au verrou après l'installation :
</translation>
    </message>
    <message>
      <location filename="../shell/install.py" />
      <source>Runtime ready: %s (%d package(s) installed, %d removed, %.0f s).</source>
      <translation>Runtime prêt : %s (%d paquet(s) installé(s), %d supprimé(s), %.0f s).</translation>
    </message>
    <message>
      <location filename="../shell/paths.py" />
      <source>Using the runtime made earlier in the QGIS profile: %s.</source>
      <translation>Utilisation du runtime créé auparavant dans le profil QGIS : %s.</translation>
    </message>
    <message>
      <location filename="../shell/paths.py" />
      <source>The runtime in %s was made for Python %s, not for this Python %s; it is not used. Run 'Install or update runtime' to make one in %s, then delete the old folder.</source>
      <translation>Le runtime dans %s a été créé pour Python %s, pas pour ce Python %s ; il n'est pas utilisé. Lancez 'Installer ou mettre à jour le runtime' pour en créer un dans %s, puis supprimez l'ancien dossier.</translation>
    </message>
    <message>
      <location filename="../shell/runtime_venv.py" />
      <source>Cannot create the folder %s (%s). Choose a runtime folder you can write to (the 'Runtime folder' option or TERRAEMBED_RUNTIME_DIR).</source>
      <translation>Impossible de créer le dossier %s (%s). Choisissez un dossier de runtime où vous pouvez écrire (l'option 'Dossier du runtime' ou TERRAEMBED_RUNTIME_DIR).</translation>
    </message>
    <message>
      <location filename="../shell/runtime_venv.py" />
      <source>The folder %s is not writable. Choose a runtime folder you can write to (the 'Runtime folder' option or TERRAEMBED_RUNTIME_DIR).</source>
      <translation>Le dossier %s n'est pas accessible en écriture. Choisissez un dossier de runtime où vous pouvez écrire (l'option 'Dossier du runtime' ou TERRAEMBED_RUNTIME_DIR).</translation>
    </message>
    <message>
      <location filename="../shell/session.py" />
      <source>The explore session's runtime stopped (%s).</source>
      <translation>Le runtime de la session d'exploration s'est arrêté (%s).</translation>
    </message>
    <message>
      <location filename="../shell/session.py" />
      <source>The explore session did not open within %d s; it was stopped.</source>
      <translation>La session d'exploration ne s'est pas ouverte en %d s ; elle a été arrêtée.</translation>
    </message>
    <message>
      <location filename="../shell/session.py" />
      <source>The explore session did not answer within %d s; it was stopped.</source>
      <translation>La session d'exploration n'a pas répondu en %d s ; elle a été arrêtée.</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>an access violation (0xC0000005): a native library crashed; reinstall the runtime, and update the graphics driver if it happens on the GPU</source>
      <translation>une violation d'accès (0xC0000005) : une bibliothèque native a planté ; réinstallez le runtime, et mettez à jour le pilote graphique si cela arrive sur le GPU</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>a stack buffer overrun (0xC0000409): a native library aborted; reinstall the runtime</source>
      <translation>un dépassement de tampon de pile (0xC0000409) : une bibliothèque native a abandonné ; réinstallez le runtime</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>a missing DLL (0xC0000135, 3221225781): install the Microsoft Visual C++ Redistributable (x64) from Microsoft's website, then run the job again</source>
      <translation>une DLL manquante (0xC0000135, 3221225781) : installez Microsoft Visual C++ Redistributable (x64) depuis le site de Microsoft, puis relancez le job</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>an illegal instruction (0xC000001D): this CPU lacks an instruction the build needs</source>
      <translation>une instruction illégale (0xC000001D) : ce CPU n'a pas une instruction dont le build a besoin</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>a stack overflow (0xC00000FD)</source>
      <translation>un dépassement de pile (0xC00000FD)</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>out of memory (0xC0000017): use a smaller batch size or a smaller model</source>
      <translation>mémoire épuisée (0xC0000017) : utilisez une taille de lot plus petite ou un modèle plus petit</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Ctrl+C or the window was closed (0xC000013A)</source>
      <translation>Ctrl+C ou la fenêtre a été fermée (0xC000013A)</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source> Windows reports %s.</source>
      <translation> Windows signale %s.</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Install Python %s (64-bit) from python.org (not the Microsoft Store one) and tick 'Add python.exe to PATH', or choose a python.exe in the 'Base Python' option.</source>
      <translation>Installez Python %s (64 bits) depuis python.org (pas celui du Microsoft Store) et cochez 'Add python.exe to PATH', ou choisissez un python.exe dans l'option 'Python de base'.</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Install Python %s from python.org (or Homebrew: brew install python@%s), or choose a python3 in the 'Base Python' option.</source>
      <translation>Installez Python %s depuis python.org (ou Homebrew : brew install python@%s), ou choisissez un python3 dans l'option 'Python de base'.</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Install python%s and its venv module (Debian/Ubuntu: sudo apt install python3-venv), or choose one in the 'Base Python' option.</source>
      <translation>Installez python%s et son module venv (Debian/Ubuntu : sudo apt install python3-venv), ou choisissez-en un dans l'option 'Python de base'.</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>No Python to create the runtime with was found. </source>
      <translation>Aucun Python pour créer le runtime n'a été trouvé. </translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Another install of this runtime is running (process %d). Wait for it to finish (or stop it), then run this again. Lock file: %s</source>
      <translation>Une autre installation de ce runtime est en cours (processus %d). Attendez qu'elle se termine (ou arrêtez-la), puis relancez. Fichier de verrou : %s</translation>
    </message>
    <message>
      <location filename="../shell/system.py" />
      <source>Could not take the install lock %s; delete it if no install runs.</source>
      <translation>Impossible de prendre le verrou d'installation %s ; supprimez-le si aucune installation n'est en cours.</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>drawn rectangle</source>
      <translation>rectangle dessiné</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>drawn polygon</source>
      <translation>polygone dessiné</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>map view</source>
      <translation>vue de la carte</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>polygon layer</source>
      <translation>couche de polygones</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>%s: x %.*f to %.*f, y %.*f to %.*f (%s)%s</source>
      <translation>%s : x %.*f à %.*f, y %.*f à %.*f (%s)%s</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>custom CRS</source>
      <translation>SCR personnalisé</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source>, %.0f x %.0f m</source>
      <translation>, %.0f x %.0f m</translation>
    </message>
    <message>
      <location filename="../ui/aoi.py" />
      <source> - pixels outside the polygon are ignored.</source>
      <translation> - les pixels hors du polygone sont ignorés.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Rectangle</source>
      <translation>Rectangle</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Draw a rectangle on the map (press, drag, release).</source>
      <translation>Dessinez un rectangle sur la carte (appuyez, faites glisser, relâchez).</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Polygon</source>
      <translation>Polygone</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Draw a polygon: click the vertices, right click or double click to finish, Backspace removes the last vertex, Esc cancels.</source>
      <translation>Dessinez un polygone : cliquez les sommets, clic droit ou double-clic pour terminer, Retour arrière supprime le dernier sommet, Échap annule.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Map view</source>
      <translation>Vue de la carte</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Use the current map view's extent.</source>
      <translation>Utiliser l'emprise de la vue actuelle de la carte.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <location filename="../ui/explore_box.py" />
      <source>Clear</source>
      <translation>Effacer</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>No area: the whole raster layer.</source>
      <translation>Aucune zone : toute la couche raster.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Selected</source>
      <translation>Sélection</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Only the selected features of the layer.</source>
      <translation>Uniquement les entités sélectionnées de la couche.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Use layer</source>
      <translation>Utiliser la couche</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Choose a polygon layer for the area of interest.</source>
      <translation>Choisissez une couche de polygones pour la zone d'intérêt.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>The layer '%s' has no selected features: select some, or untick 'Selected'.</source>
      <translation>La couche '%s' n'a aucune entité sélectionnée : sélectionnez-en, ou décochez 'Sélection'.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>The layer '%s' has no polygons to use as the area of interest.</source>
      <translation>La couche '%s' n'a aucun polygone à utiliser comme zone d'intérêt.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>%s of %s</source>
      <translation>%s de %s</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>features</source>
      <translation>entités</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>%d selected feature(s)</source>
      <translation>%d entité(s) sélectionnée(s)</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>No area set: %s.</source>
      <translation>Aucune zone définie : %s.</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>Earth Engine needs one (draw it or use the map view)</source>
      <translation>Earth Engine en demande une (dessinez-la ou utilisez la vue de la carte)</translation>
    </message>
    <message>
      <location filename="../ui/aoi_box.py" />
      <source>the whole raster layer</source>
      <translation>toute la couche raster</translation>
    </message>
    <message>
      <location filename="../ui/common.py" />
      <source>The run failed without a message; see the panel's log and the Processing log.</source>
      <translation>Le traitement a échoué sans message ; voir le journal du panneau et le journal des traitements.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Starting...</source>
      <translation>Démarrage...</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Running '%s'...</source>
      <translation>Traitement '%s' en cours...</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>TerraEmbed: %s</source>
      <translation>TerraEmbed : %s</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Cancelling '%s'...</source>
      <translation>Annulation de '%s'...</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>%d %%, elapsed %s</source>
      <translation>%d %%, écoulé %s</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>, about %s left</source>
      <translation>, environ %s restant</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Running '%s': %s</source>
      <translation>Traitement '%s' : %s</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>WARNING: </source>
      <translation>AVERTISSEMENT : </translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>ERROR: </source>
      <translation>ERREUR : </translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Done in %s.</source>
      <translation>Terminé en %s.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>'%s' done: %s-dim embeddings, %s grid cells, device %s.</source>
      <translation>'%s' terminé : embeddings de %s dimensions, %s cellules de grille, périphérique %s.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source> Layers added to the group '%s'.</source>
      <translation> Couches ajoutées au groupe '%s'.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>'%s' cancelled: nothing was written.</source>
      <translation>'%s' annulé : rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Its files are kept, but these could not be added to the project as layers%s: %s. Add them with Layer &gt; Add Layer.</source>
      <translation>Ses fichiers sont conservés, mais ceux-ci n'ont pas pu être ajoutés au projet comme couches%s : %s. Ajoutez-les avec Couche &gt; Ajouter une couche.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Removed %d leftover file(s) of runs that were stopped outright from %s.</source>
      <translation>%d fichier(s) restant(s) de traitements interrompus brutalement supprimé(s) de %s.</translation>
    </message>
    <message>
      <location filename="../ui/dock.py" />
      <source>Nothing to clean up in %s.</source>
      <translation>Rien à nettoyer dans %s.</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Options and output</source>
      <translation>Options et sortie</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Tile overlap</source>
      <translation>Recouvrement des tuiles</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>How the embedding grid GeoTIFF is stored. Embeddings hardly compress, so 'none' is the fastest; DEFLATE pays where many cells are empty (a polygon area, a raster with nodata).</source>
      <translation>Mode de stockage du GeoTIFF de la grille d'embeddings. Les embeddings se compressent à peine, 'none' est donc le plus rapide ; DEFLATE est utile là où beaucoup de cellules sont vides (une zone polygonale, un raster avec du nodata).</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Grid compression</source>
      <translation>Compression de la grille</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>auto: %s (default from the settings).</source>
      <translation>auto : %s (valeur par défaut des paramètres).</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Principal components in the PCA raster (the first three are shown as RGB).</source>
      <translation>Composantes principales du raster d'ACP (les trois premières sont affichées en RVB).</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Clean up</source>
      <translation>Nettoyer</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Remove what runs that were killed (or lost power) left in the output folder: partial files of runs that are over. Files of a run still going stay.</source>
      <translation>Supprimer ce que des traitements tués (ou privés de courant) ont laissé dans le dossier de sortie : les fichiers partiels de traitements terminés. Les fichiers d'un traitement encore en cours restent.</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Output folder</source>
      <translation>Dossier de sortie</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>automatic: model_layer_date</source>
      <translation>automatique : modèle_couche_date</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Names the layer group and the output files.</source>
      <translation>Nomme le groupe de couches et les fichiers de sortie.</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Run name</source>
      <translation>Nom du traitement</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Run</source>
      <translation>Lancer</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Cancel</source>
      <translation>Annuler</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Ready.</source>
      <translation>Prêt.</translation>
    </message>
    <message>
      <location filename="../ui/dock_boxes.py" />
      <source>Log</source>
      <translation>Journal</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Copy</source>
      <translation>Copier</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>The environment check could not run:
</source>
      <translation>La vérification de l'environnement n'a pas pu s'exécuter :
</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Ready. Device that would be used: %s</source>
      <translation>Prêt. Périphérique qui serait utilisé : %s</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>FIX: %s</source>
      <translation>SOLUTION : %s</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Not ready (%d problem(s)):
%s</source>
      <translation>Pas prêt (%d problème(s)) :
%s</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Environment</source>
      <translation>Environnement</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Runs terraembed:check_environment in the background: runtime, devices, weights, lock; every problem with its fix.</source>
      <translation>Exécute terraembed:check_environment en arrière-plan : runtime, périphériques, poids, verrou ; chaque problème avec sa solution.</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Report...</source>
      <translation>Rapport...</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Settings...</source>
      <translation>Paramètres...</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Not checked yet.</source>
      <translation>Pas encore vérifié.</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>Checking the environment (runtime, devices, weights)...</source>
      <translation>Vérification de l'environnement (runtime, périphériques, poids)...</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>TerraEmbed: environment check</source>
      <translation>TerraEmbed : vérification de l'environnement</translation>
    </message>
    <message>
      <location filename="../ui/environment_box.py" />
      <source>The environment is not ready: see the panel's report.</source>
      <translation>L'environnement n'est pas prêt : voir le rapport du panneau.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <location filename="../ui/explore_box.py" />
      <source>class 1</source>
      <translation>classe 1</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>Explore needs an embedding raster that is a local file (a GeoTIFF); save the layer as a GeoTIFF first (Export &gt; Save As).</source>
      <translation>L'exploration nécessite un raster d'embeddings qui soit un fichier local (un GeoTIFF) ; enregistrez d'abord la couche en GeoTIFF (Exporter &gt; Enregistrer sous).</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>The layer '%s' has one band, so it is not an embedding raster.</source>
      <translation>La couche '%s' a une seule bande, ce n'est donc pas un raster d'embeddings.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>Opening the session: loading %s into the runtime...</source>
      <translation>Ouverture de la session : chargement de %s dans le runtime...</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>Click a place to find places like it (Shift+click or right click: not like this).</source>
      <translation>Cliquez un lieu pour trouver des lieux semblables (Maj+clic ou clic droit : pas comme celui-ci).</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>%s (p = %.2f)</source>
      <translation>%s (p = %.2f)</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>similarity %.3f</source>
      <translation>similarité %.3f</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>Opening the session: %d %%</source>
      <translation>Ouverture de la session : %d %%</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>Ready: %d x %d cells, %d dimensions (%s), opened in %.1f s. Click a place.</source>
      <translation>Prêt : %d x %d cellules, %d dimensions (%s), ouvert en %.1f s. Cliquez un lieu.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>The explore session failed.</source>
      <translation>La session d'exploration a échoué.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>The raster changed on disk: reopening the session.</source>
      <translation>Le raster a changé sur le disque : réouverture de la session.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>%s It stopped %d times; press Start to try again.</source>
      <translation>%s Elle s'est arrêtée %d fois ; appuyez sur Démarrer pour réessayer.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>%s Restarting it; your labels are kept.</source>
      <translation>%s Redémarrage ; vos étiquettes sont conservées.</translation>
    </message>
    <message>
      <location filename="../ui/explore.py" />
      <source>The embedding layer was removed: the explore session ended.</source>
      <translation>La couche d'embeddings a été supprimée : la session d'exploration est terminée.</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>Explore: similar places</source>
      <translation>Exploration : lieux semblables</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>Explore: classes</source>
      <translation>Exploration : classes</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>Explore: similar areas</source>
      <translation>Exploration : zones semblables</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>Saved: %s</source>
      <translation>Enregistré : %s</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>Click some examples first: there is nothing to save yet.</source>
      <translation>Cliquez d'abord quelques exemples : il n'y a encore rien à enregistrer.</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>%d cells</source>
      <translation>%d cellules</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>%.3f km²</source>
      <translation>%.3f km²</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>&gt;= %.3f: %s, %.1f %% of the valid area</source>
      <translation>&gt;= %.3f : %s, %.1f %% de la zone valide</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>answered in %.0f ms (worker %.0f ms)</source>
      <translation>réponse en %.0f ms (worker %.0f ms)</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source> %d click(s) ignored: %s.</source>
      <translation> %d clic(s) ignoré(s) : %s.</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>cross-validated accuracy %.0f %% (%d folds, spatial blocks of %d x %d cells)</source>
      <translation>exactitude en validation croisée %.0f %% (%d plis, blocs spatiaux de %d x %d cellules)</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>accuracy: label 2 places per class, %d x %d cells apart</source>
      <translation>exactitude : étiquetez 2 lieux par classe, distants de %d x %d cellules</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>%d classes, %s; %s.%s</source>
      <translation>%d classes, %s ; %s.%s</translation>
    </message>
    <message>
      <location filename="../ui/explore_answers.py" />
      <source>%d positive, %d negative; %s.%s</source>
      <translation>%d positifs, %d négatifs ; %s.%s</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Explore: click similar places, map classes</source>
      <translation>Exploration : cliquer des lieux semblables, cartographier des classes</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>An embedding raster: one band per dimension (a TerraEmbed grid or another model's).</source>
      <translation>Un raster d'embeddings : une bande par dimension (une grille TerraEmbed ou celle d'un autre modèle).</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Start</source>
      <translation>Démarrer</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Similar places</source>
      <translation>Lieux semblables</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Classes (few-shot)</source>
      <translation>Classes (few-shot)</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>class 2</source>
      <translation>classe 2</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>The class of the next clicks (few-shot mode); type a new name to add one.</source>
      <translation>La classe des prochains clics (mode few-shot) ; tapez un nouveau nom pour en ajouter une.</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Threshold: cells at or above it are shown (re-styles only, no recomputation).</source>
      <translation>Seuil : les cellules égales ou supérieures sont affichées (change seulement le style, sans recalcul).</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Undo</source>
      <translation>Annuler le dernier</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Remove the last label (Ctrl+Z on the map)</source>
      <translation>Retirer la dernière étiquette (Ctrl+Z sur la carte)</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Remove</source>
      <translation>Retirer</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Resume from a saved label layer (fields class, sign, time)</source>
      <translation>Reprendre depuis une couche d'étiquettes enregistrée (champs class, sign, time)</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Save results</source>
      <translation>Enregistrer les résultats</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Open as Processing run</source>
      <translation>Ouvrir comme traitement</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Choose an embedding raster and press Start.</source>
      <translation>Choisissez un raster d'embeddings et appuyez sur Démarrer.</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Points on the most uncertain places of the current map, spread out and away from your labels: label them next (needs examples of 2 classes, or places like and not like this).</source>
      <translation>Des points aux endroits les plus incertains de la carte actuelle, espacés et éloignés de vos étiquettes : étiquetez-les ensuite (nécessite des exemples de 2 classes, ou des lieux semblables et différents de celui-ci).</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Session ended. Your labels stay in their layer.</source>
      <translation>Session terminée. Vos étiquettes restent dans leur couche.</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Stop</source>
      <translation>Arrêter</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>&gt;= %.3f</source>
      <translation>&gt;= %.3f</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>− (left out)</source>
      <translation>− (exclu)</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>+ like this</source>
      <translation>+ comme celui-ci</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>− not like this</source>
      <translation>− pas comme celui-ci</translation>
    </message>
    <message>
      <location filename="../ui/explore_box.py" />
      <source>Choose a folder to save the results in.</source>
      <translation>Choisissez un dossier où enregistrer les résultats.</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>Explore labels</source>
      <translation>Étiquettes d'exploration</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>Labels must be a point layer.</source>
      <translation>Les étiquettes doivent être une couche de points.</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>The layer '%s' has no field %s; explore labels have the fields class, sign and time.</source>
      <translation>La couche '%s' n'a pas de champ %s ; les étiquettes d'exploration ont les champs class, sign et time.</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>The labels of '%s' were made on other embeddings (%s), not on this raster's (%s): a model's examples mean nothing to another model. Start with a new label layer, or explore the raster they were made on.</source>
      <translation>Les étiquettes de '%s' ont été faites sur d'autres embeddings (%s), pas sur ceux de ce raster (%s) : les exemples d'un modèle n'ont aucun sens pour un autre modèle. Commencez avec une nouvelle couche d'étiquettes, ou explorez le raster sur lequel elles ont été faites.</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>Explore: where to label next</source>
      <translation>Exploration : où étiqueter ensuite</translation>
    </message>
    <message>
      <location filename="../ui/explore_layers.py" />
      <source>%d places to label next (the most uncertain, at least %g map units apart and from every label): click them with their class.</source>
      <translation>%d lieux à étiqueter ensuite (les plus incertains, espacés d'au moins %g unités de carte entre eux et de chaque étiquette) : cliquez-les avec leur classe.</translation>
    </message>
    <message>
      <location filename="../ui/gui.py" />
      <source>TerraEmbed panel</source>
      <translation>Panneau TerraEmbed</translation>
    </message>
    <message>
      <location filename="../ui/gui.py" />
      <source>TerraEmbed: compute foundation-model embeddings for an area (panel)</source>
      <translation>TerraEmbed : calculer les embeddings d'un modèle de fondation pour une zone (panneau)</translation>
    </message>
    <message>
      <location filename="../ui/gui.py" />
      <source>TerraEmbed settings...</source>
      <translation>Paramètres de TerraEmbed...</translation>
    </message>
    <message>
      <location filename="../ui/model_box.py" />
      <source>&lt;b&gt;Modality:&lt;/b&gt; %s&lt;br&gt;&lt;b&gt;Bands needed (%d):&lt;/b&gt; %s&lt;br&gt;&lt;b&gt;Embedding size:&lt;/b&gt; %d&lt;br&gt;&lt;b&gt;Weights:&lt;/b&gt; %s: %s</source>
      <translation>&lt;b&gt;Modalité :&lt;/b&gt; %s&lt;br&gt;&lt;b&gt;Bandes requises (%d) :&lt;/b&gt; %s&lt;br&gt;&lt;b&gt;Taille des embeddings :&lt;/b&gt; %d&lt;br&gt;&lt;b&gt;Poids :&lt;/b&gt; %s : %s</translation>
    </message>
    <message>
      <location filename="../ui/model_box.py" />
      <source>%s

Weights: %s</source>
      <translation>%s

Poids : %s</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>local file %s</source>
      <translation>fichier local %s</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>the local file %s set in the settings does not exist</source>
      <translation>le fichier local %s défini dans les paramètres n'existe pas</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>in the Hugging Face cache (%s)</source>
      <translation>dans le cache Hugging Face (%s)</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>not in the Hugging Face cache (%s) and offline mode is on: set a local file in the settings, or turn offline mode off</source>
      <translation>absent du cache Hugging Face (%s) et le mode hors ligne est activé : définissez un fichier local dans les paramètres, ou désactivez le mode hors ligne</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>not cached yet: %s/%s is downloaded on the first run</source>
      <translation>pas encore en cache : %s/%s est téléchargé au premier traitement</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>local file missing</source>
      <translation>fichier local manquant</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>in the Hugging Face cache</source>
      <translation>dans le cache Hugging Face</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>not cached, and offline mode is on</source>
      <translation>pas en cache, et le mode hors ligne est activé</translation>
    </message>
    <message>
      <location filename="../ui/model_info.py" />
      <source>downloaded on the first run (%s)</source>
      <translation>téléchargé au premier traitement (%s)</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Unknown %s %r: choose one of %s.</source>
      <translation>%s inconnu(e) %r : choisissez l'une des valeurs %s.</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>input preparation</source>
      <translation>préparation des entrées</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>tile overlap</source>
      <translation>recouvrement des tuiles</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>grid compression</source>
      <translation>compression de la grille</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Choose a raster layer (or switch the imagery to Google Earth Engine).</source>
      <translation>Choisissez une couche raster (ou passez l'imagerie sur Google Earth Engine).</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Choose a raster band for every model band in 'Band mapping' (or press 'Match by name again').</source>
      <translation>Choisissez une bande raster pour chaque bande du modèle dans 'Correspondance des bandes' (ou appuyez sur 'Associer à nouveau par nom').</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Earth Engine needs an area of interest: draw a rectangle or polygon, or use the map view or a polygon layer.</source>
      <translation>Earth Engine demande une zone d'intérêt : dessinez un rectangle ou un polygone, ou utilisez la vue de la carte ou une couche de polygones.</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>The start date must be before the end date.</source>
      <translation>La date de début doit être antérieure à la date de fin.</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>cloud mask</source>
      <translation>masque de nuages</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Choose an output folder.</source>
      <translation>Choisissez un dossier de sortie.</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>Cannot create the output folder %s (%s). Choose another folder.</source>
      <translation>Impossible de créer le dossier de sortie %s (%s). Choisissez un autre dossier.</translation>
    </message>
    <message>
      <location filename="../ui/parameters.py" />
      <source>The output folder %s is not writable. Choose another folder.</source>
      <translation>Le dossier de sortie %s n'est pas accessible en écriture. Choisissez un autre dossier.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>TerraEmbed settings</source>
      <translation>Paramètres de TerraEmbed</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Overridden by the environment variable %s=%s</source>
      <translation>Remplacé par la variable d'environnement %s=%s</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Runtime</source>
      <translation>Runtime</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Model weights</source>
      <translation>Poids des modèles</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Hugging Face default (HF_HUB_CACHE or ~/.cache/huggingface/hub)</source>
      <translation>Par défaut de Hugging Face (HF_HUB_CACHE ou ~/.cache/huggingface/hub)</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Weights cache folder</source>
      <translation>Dossier du cache des poids</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Offline: use cached or local weights only, never download</source>
      <translation>Hors ligne : utiliser uniquement les poids en cache ou locaux, ne jamais télécharger</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Local weights file per model (empty = cache / download):</source>
      <translation>Fichier de poids local par modèle (vide = cache / téléchargement) :</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <location filename="../shared/catalogue.py" />
      <source>Google Earth Engine</source>
      <translation>Google Earth Engine</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Google Cloud project id registered for Earth Engine</source>
      <translation>Identifiant du projet Google Cloud enregistré pour Earth Engine</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>empty = your own account (Authenticate)</source>
      <translation>vide = votre propre compte (S'authentifier)</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Service-account key</source>
      <translation>Clé de compte de service</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Authenticate...</source>
      <translation>S'authentifier...</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Runs `earthengine authenticate` from the runtime in the background: your browser opens to sign in; QGIS stays usable.</source>
      <translation>Exécute `earthengine authenticate` depuis le runtime en arrière-plan : votre navigateur s'ouvre pour la connexion ; QGIS reste utilisable.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Computation defaults</source>
      <translation>Valeurs de calcul par défaut</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Default device</source>
      <translation>Périphérique par défaut</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>model default (%s)</source>
      <translation>valeur par défaut du modèle (%s)</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>empty = this machine; tcp://host:8786, a scheduler file, or local:N</source>
      <translation>vide = cette machine ; tcp://hôte:8786, un fichier d'ordonnanceur, ou local:N</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Dask scheduler</source>
      <translation>Ordonnanceur Dask</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source> min</source>
      <translation> min</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>never (a new runtime process per run)</source>
      <translation>jamais (un nouveau processus runtime par traitement)</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>After a run from QGIS, keep the runtime and the model it loaded this long, so the next run starts at once. Released when idle, when memory is short, on settings changes and when the plugin unloads. qgis_process always starts one runtime per run.</source>
      <translation>Après un traitement depuis QGIS, garder le runtime et le modèle qu'il a chargé pendant cette durée, pour que le traitement suivant démarre aussitôt. Libéré en cas d'inactivité, quand la mémoire manque, lors d'un changement de paramètres et au déchargement du plugin. qgis_process démarre toujours un runtime par traitement.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Keep the runtime loaded</source>
      <translation>Garder le runtime chargé</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Imagery cache (Earth Engine downloads)</source>
      <translation>Cache de l'imagerie (téléchargements Earth Engine)</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>default cache folder</source>
      <translation>dossier de cache par défaut</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Cache folder</source>
      <translation>Dossier du cache</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source> MB</source>
      <translation> Mo</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Size cap</source>
      <translation>Taille maximale</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>The runtime's earthengine command was not found (%s). Install the runtime first (Processing &gt; TerraEmbed &gt; Setup).</source>
      <translation>La commande earthengine du runtime est introuvable (%s). Installez d'abord le runtime (Traitement &gt; TerraEmbed &gt; Installation).</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Waiting for the sign-in in your browser...</source>
      <translation>En attente de la connexion dans votre navigateur...</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Signed in: Earth Engine credentials saved.</source>
      <translation>Connecté : identifiants Earth Engine enregistrés.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Sign-in did not complete (exit code %d): see the output below.</source>
      <translation>La connexion n'a pas abouti (code de sortie %d) : voir la sortie ci-dessous.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" />
      <source>Could not start %s.</source>
      <translation>Impossible de démarrer %s.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Layer</source>
      <translation>Couche</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Optional: a separate %s raster (resampled onto the layer's grid). Empty: the layer above holds the %s bands too.</source>
      <translation>Facultatif : un raster %s séparé (rééchantillonné sur la grille de la couche). Vide : la couche ci-dessus contient aussi les bandes %s.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>%s layer</source>
      <translation>Couche %s</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Multiply pixel values: 10000 for Sentinel-2 reflectance stored as 0..1.</source>
      <translation>Multiplier les valeurs des pixels : 10000 pour une réflectance Sentinel-2 stockée en 0..1.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Value scale</source>
      <translation>Échelle des valeurs</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Band mapping</source>
      <translation>Correspondance des bandes</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Model band</source>
      <translation>Bande du modèle</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Raster band</source>
      <translation>Bande du raster</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Match by name again</source>
      <translation>Associer à nouveau par nom</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Start date</source>
      <translation>Date de début</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>End date</source>
      <translation>Date de fin</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>empty = the dates above; e.g. 2019..2025</source>
      <translation>vide = les dates ci-dessus ; par exemple 2019..2025</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>A series: one embedding grid per period on one grid, and a series file (.vrt) listing them. Periods: %s. Each period is one run; periods already computed under the same run name, with the same settings, are reused: give the run a name to continue one that failed.</source>
      <translation>Une série : une grille d'embeddings par période sur une même grille, et un fichier de série (.vrt) qui les liste. Périodes : %s. Chaque période est une exécution ; les périodes déjà calculées sous le même nom d'exécution, avec les mêmes paramètres, sont réutilisées : donnez un nom à l'exécution pour en poursuivre une qui a échoué.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source> m</source>
      <translation> m</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Pixel size</source>
      <translation>Taille de pixel</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Sentinel-2 scenes with more cloudy pixels are left out.</source>
      <translation>Les scènes Sentinel-2 avec plus de pixels nuageux sont exclues.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Cloud limit</source>
      <translation>Limite de nuages</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Cloud mask</source>
      <translation>Masque de nuages</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Collection: %s. Cloud project: %s. Credentials: %s. Needs an area of interest.</source>
      <translation>Collection : %s. Projet Cloud : %s. Identifiants : %s. Demande une zone d'intérêt.</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>not set (Settings...)</source>
      <translation>non défini (Paramètres...)</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>service-account key</source>
      <translation>clé de compte de service</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>Choose a raster layer with %d bands (%s).</source>
      <translation>Choisissez une couche raster avec %d bandes (%s).</translation>
    </message>
    <message>
      <location filename="../ui/source_box.py" />
      <source>%d bands matched (%s).</source>
      <translation>%d bandes associées (%s).</translation>
    </message>
    <message>
      <location filename="../ui/task.py" />
      <source>The Processing algorithm %s is not available: is the TerraEmbed plugin's provider loaded? Restart QGIS or re-enable the plugin.</source>
      <translation>L'algorithme de traitement %s n'est pas disponible : le fournisseur du plugin TerraEmbed est-il chargé ? Redémarrez QGIS ou réactivez le plugin.</translation>
    </message>
    <message>
      <location filename="../ui/timeline.py" />
      <source>A series (made by TerraEmbed) whose timeline a click shows: the distance of each period to the first and to the previous one. Not needed when the explored raster is a series.</source>
      <translation>Une série (faite par TerraEmbed) dont un clic montre la chronologie : la distance de chaque période à la première et à la précédente. Inutile quand le raster exploré est une série.</translation>
    </message>
    <message>
      <location filename="../ui/timeline.py" />
      <source>Timeline of</source>
      <translation>Chronologie de</translation>
    </message>
    <message>
      <location filename="../ui/timeline.py" />
      <source>A series of %d periods: exploring its last period (%s); a click shows the cell's timeline.</source>
      <translation>Une série de %d périodes : exploration de sa dernière période (%s) ; un clic montre la chronologie de la cellule.</translation>
    </message>
    <message>
      <location filename="../ui/timeline.py" />
      <source>Cell (row %d, column %d): %s; largest step %.3f, ending in %s. Blue: distance to the first period; orange: to the previous one.</source>
      <translation>Cellule (ligne %d, colonne %d) : %s ; plus grand pas %.3f, se terminant en %s. Bleu : distance à la première période ; orange : à la précédente.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Raster layer</source>
      <translation>Couche raster</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>auto (tiles when the area is larger than one 224-pixel tile)</source>
      <translation>auto (tuiles quand la zone dépasse une tuile de 224 pixels)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>tile (224-pixel tiles, one cell per 16x16 pixels; bounded memory)</source>
      <translation>tile (tuiles de 224 pixels, une cellule pour 16x16 pixels ; mémoire bornée)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>resize (whole area to 224 pixels: one 14x14 grid)</source>
      <translation>resize (toute la zone à 224 pixels : une grille de 14x14)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>none (abutting 224 px chips; reference-equivalent)</source>
      <translation>none (tuiles jointives de 224 px ; équivalent à la référence)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>25% (chip stride 160 px: about 2x the chips)</source>
      <translation>25% (pas de tuile de 160 px : environ 2x les tuiles)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>50% (chip stride 112 px: about 4x the chips)</source>
      <translation>50% (pas de tuile de 112 px : environ 4x les tuiles)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>none (fastest to write and read; about the raw size)</source>
      <translation>none (le plus rapide à écrire et à lire ; à peu près la taille brute)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>DEFLATE (smaller only where many cells are empty, e.g. a polygon area; slower)</source>
      <translation>DEFLATE (plus petit seulement là où beaucoup de cellules sont vides, par exemple une zone polygonale ; plus lent)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Sentinel-2 surface reflectance (12 bands)</source>
      <translation>Réflectance de surface Sentinel-2 (12 bandes)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Sentinel-1 GRD, VV and VH (linear)</source>
      <translation>Sentinel-1 GRD, VV et VH (linéaire)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Copernicus DEM GLO-30 (elevation in metres)</source>
      <translation>MNT Copernicus GLO-30 (altitude en mètres)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Sentinel-2 optical</source>
      <translation>Sentinel-2 optique</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Sentinel-1 radar</source>
      <translation>Sentinel-1 radar</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>elevation (DEM)</source>
      <translation>altitude (MNT)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>grouped by feature (cells of one labelled feature stay together)</source>
      <translation>groupée par entité (les cellules d'une même entité étiquetée restent ensemble)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>spatial blocks (cells grouped into square blocks of the size below)</source>
      <translation>blocs spatiaux (cellules groupées en blocs carrés de la taille ci-dessous)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>by cell (optimistic: neighbouring cells are alike)</source>
      <translation>par cellule (optimiste : des cellules voisines se ressemblent)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Logistic regression</source>
      <translation>Régression logistique</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Mean of the cells under the features</source>
      <translation>Moyenne des cellules sous les entités</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>Pooled vectors in the features' emb_ fields</source>
      <translation>Vecteurs agrégés dans les champs emb_ des entités</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>chip (the feature's bounding box resized to one 224-pixel chip: the model's pooled vector)</source>
      <translation>chip (l'emprise de l'entité redimensionnée en une tuile de 224 pixels : le vecteur agrégé du modèle)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>cells (the mean of the embedding grid's cells inside the feature, with their count: exact roll-ups)</source>
      <translation>cells (la moyenne des cellules de la grille d'embeddings à l'intérieur de l'entité, avec leur nombre : agrégations exactes)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>stop the run (the periods done are kept and reused by the next run)</source>
      <translation>arrêter l'exécution (les périodes terminées sont conservées et réutilisées par la prochaine exécution)</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>skip the period and go on with the others</source>
      <translation>ignorer la période et continuer avec les autres</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>stable</source>
      <translation>stable</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>one break</source>
      <translation>une rupture</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>repeated change</source>
      <translation>changement répété</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>MBZUAI TerraFM-B (ViT-B/16) on 12 Sentinel-2 bands (surface reflectance 0..10000); 768-dim CLS vector and 14x14 patch grid.</source>
      <translation>MBZUAI TerraFM-B (ViT-B/16) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; vecteur CLS de 768 dimensions et grille de patchs de 14x14.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>MBZUAI TerraFM-B (ViT-B/16) on Sentinel-1 VV, VH in linear backscatter (not dB); 768-dim CLS vector and 14x14 patch grid.</source>
      <translation>MBZUAI TerraFM-B (ViT-B/16) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB) ; vecteur CLS de 768 dimensions et grille de patchs de 14x14.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 tiny encoder (via terratorch), raw S2L2A input, 12 bands; 192-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 tiny (via terratorch), entrée S2L2A brute, 12 bandes ; jetons de 192 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 small encoder (via terratorch), raw S2L2A input, 12 bands; 384-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 small (via terratorch), entrée S2L2A brute, 12 bandes ; jetons de 384 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 base encoder (via terratorch), raw S2L2A input, 12 bands; 768-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 base (via terratorch), entrée S2L2A brute, 12 bandes ; jetons de 768 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 large encoder (via terratorch), raw S2L2A input, 12 bands; 1024-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 large (via terratorch), entrée S2L2A brute, 12 bandes ; jetons de 1024 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>MBZUAI TerraFM-L (ViT-L/16) on 12 Sentinel-2 bands (surface reflectance 0..10000); 1024-dim CLS vector and 14x14 patch grid. Costs about 3.2x TerraFM-B's compute per chip (135 vs 42.5 GFLOP) and 1.4 GB of fp32 weights (TerraFM-B: 0.45 GB) for a small accuracy gain in TerraFM's own benchmarks (e.g. GEO-Bench m-So2Sat 66.6 vs 64.9, m-EuroSat 98.6 vs 98.1): worth it on a GPU, or for small areas on a CPU.</source>
      <translation>MBZUAI TerraFM-L (ViT-L/16) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; vecteur CLS de 1024 dimensions et grille de patchs de 14x14. Coûte environ 3,2x le calcul de TerraFM-B par tuile (135 contre 42,5 GFLOP) et 1,4 Go de poids fp32 (TerraFM-B : 0,45 Go) pour un petit gain de précision dans les propres évaluations de TerraFM (par exemple GEO-Bench m-So2Sat 66,6 contre 64,9, m-EuroSat 98,6 contre 98,1) : intéressant sur un GPU, ou pour de petites zones sur un CPU.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>MBZUAI TerraFM-L (ViT-L/16) on Sentinel-1 VV, VH in linear backscatter (not dB); 1024-dim CLS vector and 14x14 patch grid. Costs about 3.2x TerraFM-B's compute per chip (135 vs 42.5 GFLOP) and 1.4 GB of fp32 weights (TerraFM-B: 0.45 GB) for a small accuracy gain in TerraFM's own benchmarks (e.g. GEO-Bench m-So2Sat 66.6 vs 64.9, m-EuroSat 98.6 vs 98.1): worth it on a GPU, or for small areas on a CPU.</source>
      <translation>MBZUAI TerraFM-L (ViT-L/16) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB) ; vecteur CLS de 1024 dimensions et grille de patchs de 14x14. Coûte environ 3,2x le calcul de TerraFM-B par tuile (135 contre 42,5 GFLOP) et 1,4 Go de poids fp32 (TerraFM-B : 0,45 Go) pour un petit gain de précision dans les propres évaluations de TerraFM (par exemple GEO-Bench m-So2Sat 66,6 contre 64,9, m-EuroSat 98,6 contre 98,1) : intéressant sur un GPU, ou pour de petites zones sur un CPU.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 tiny encoder (via terratorch) on Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 192-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 tiny (via terratorch) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 192 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 small encoder (via terratorch) on Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 384-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 small (via terratorch) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 384 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 base encoder (via terratorch) on Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 768-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 base (via terratorch) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 768 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 large encoder (via terratorch) on Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 1024-dim tokens on a 14x14 grid, pooled by mean (or max).</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 large (via terratorch) sur Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 1024 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum).</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 tiny encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 192-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 2 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 tiny (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 192 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 2 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 small encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 384-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 2 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 small (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 384 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 2 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 base encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 768-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 2 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 base (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 768 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 2 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 large encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); 1024-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 2 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 large (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; jetons de 1024 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 2 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 tiny encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); an elevation band in metres; 192-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 3 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 tiny (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; une bande d'altitude en mètres ; jetons de 192 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 3 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 small encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); an elevation band in metres; 384-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 3 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 small (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; une bande d'altitude en mètres ; jetons de 384 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 3 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 base encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); an elevation band in metres; 768-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 3 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 base (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; une bande d'altitude en mètres ; jetons de 768 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 3 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <location filename="../shared/catalogue.py" />
      <source>IBM/ESA TerraMind 1.0 large encoder (via terratorch) on 12 Sentinel-2 bands (surface reflectance 0..10000); Sentinel-1 VV, VH in linear backscatter (not dB; converted to dB for the model); an elevation band in metres; 1024-dim tokens on a 14x14 grid, pooled by mean (or max). With several sensors, each sensor is cut into its own 14 x 14 patch tokens; the encoder attends over all of them together, and each output cell is the mean of the sensors' tokens at that place (terratorch's default 'mean' merge); a chip costs about 3 times the tokens of one sensor.</source>
      <translation>Encodeur IBM/ESA TerraMind 1.0 large (via terratorch) sur 12 bandes Sentinel-2 (réflectance de surface 0..10000) ; Sentinel-1 VV, VH en rétrodiffusion linéaire (pas en dB ; converti en dB pour le modèle) ; une bande d'altitude en mètres ; jetons de 1024 dimensions sur une grille de 14x14, agrégés par moyenne (ou maximum). Avec plusieurs capteurs, chaque capteur est découpé en ses propres jetons de 14 x 14 ; l'encodeur porte son attention sur tous ensemble, et chaque cellule de sortie est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' par défaut de terratorch) ; une tuile coûte environ 3 fois les jetons d'un seul capteur.</translation>
    </message>
    <message>
      <source>Per-cell cosine distance (1 - cosine similarity, 0 = unchanged, up to 2) between two embedding rasters of the same model, e.g. two dates. When the grids differ, the second raster is resampled (nearest) onto the first one's grid. Both rasters must have the same number of bands. Processed block by block; the log gives the distance distribution and, with a threshold, the changed share of the area.</source>
      <translation type="vanished">Distance cosinus par cellule (1 - similarité cosinus, 0 = inchangé, jusqu'à 2) entre deux rasters d'embeddings du même modèle, par exemple deux dates. Quand les grilles diffèrent, le second raster est rééchantillonné (plus proche voisin) sur la grille du premier. Les deux rasters doivent avoir le même nombre de bandes. Traitement bloc par bloc ; le journal donne la distribution des distances et, avec un seuil, la part changée de la zone.</translation>
    </message>
    <message>
      <source>Resampling 'after' onto the grid of 'before' (nearest neighbour).</source>
      <translation type="vanished">Rééchantillonnage de 'after' sur la grille de 'before' (plus proche voisin).</translation>
    </message>
    <message>
      <source>Periods %s: %d%s</source>
      <translation type="vanished">Périodes %s : %d%s</translation>
    </message>
    <message>
      <source>cross-validated accuracy %.0f %% (%d folds, %s)</source>
      <translation type="vanished">exactitude en validation croisée %.0f %% (%d plis, %s)</translation>
    </message>
    <message>
      <source>accuracy: label 2 places per class, %s apart</source>
      <translation type="vanished">exactitude : étiquetez 2 lieux par classe, distants de %s</translation>
    </message>
    <message>
      <source>Makes a series of embedding rasters of the same model that you already have (e.g. one per year): a series file &lt;name&gt;.vrt that QGIS opens, with every period's bands in order, and that lists the periods with their dates, as Compute embeddings writes it for periods. Give the rasters in time order and one period per raster (%s), or leave the periods empty to take each raster's own Earth Engine dates. Rasters not on the first one's grid (CRS, transform or size) are resampled onto it (nearest neighbour) as &lt;name&gt;_&lt;label&gt;.tif, and the log says which. Rasters of another model or number of dimensions are refused by name; for two rasters only, compare them with Change between dates. The series refers to the rasters by their place relative to it: move them together.</source>
      <translation type="vanished">Construit une série à partir de rasters d'embeddings du même modèle que vous avez déjà (par exemple un par année) : un fichier de série &lt;nom&gt;.vrt que QGIS ouvre, avec les bandes de chaque période dans l'ordre, et qui liste les périodes avec leurs dates, comme 'Calculer les embeddings' l'écrit pour des périodes. Donnez les rasters dans l'ordre chronologique et une période par raster (%s), ou laissez les périodes vides pour prendre les dates Earth Engine propres à chaque raster. Les rasters qui ne sont pas sur la grille du premier (SCR, transformation ou taille) y sont rééchantillonnés (plus proche voisin) sous le nom &lt;nom&gt;_&lt;libellé&gt;.tif, et le journal indique lesquels. Les rasters d'un autre modèle ou d'un autre nombre de dimensions sont refusés en les nommant ; pour deux rasters seulement, comparez-les avec Changement entre dates. La série désigne les rasters par leur emplacement relatif à elle : déplacez-les ensemble.</translation>
    </message>
    <message>
      <source>Change over a series of periods (e.g. one embedding raster per year), per cell: the largest cosine distance (1 - cosine similarity, 0 = unchanged, up to 2) to the first period; the break, the number of the period that ends the largest step between consecutive periods; the size of that step; and the mean step (steady change: a mean near the largest step; one break: a largest step far above it), as the 4 bands of one raster. The class raster says stable (no step at or above the change step), one break (exactly one) or repeated change (two or more, e.g. crop rotation); the change areas are the polygons of the changed cells, one per class and break period. Periods: one series file made by TerraEmbed, or embedding rasters of the same model in order, at least 2 (for two dates use 'Change between dates'); a period on another grid is resampled (nearest) onto the first one's. A cell counts when it has data in every period. Cost: every period is read once, block by block; memory stays the same for any number of periods, time grows with it.</source>
      <translation type="vanished">Changement sur une série de périodes (par exemple un raster d'embeddings par année), par cellule : la plus grande distance cosinus (1 - similarité cosinus, 0 = inchangé, jusqu'à 2) à la première période ; la rupture, le numéro de la période qui termine le plus grand pas entre périodes consécutives ; la taille de ce pas ; et le pas moyen (changement régulier : une moyenne proche du plus grand pas ; une rupture : un plus grand pas bien au-dessus), sous forme des 4 bandes d'un même raster. Le raster de classes indique stable (aucun pas égal ou supérieur au pas de changement), une rupture (exactement une) ou changement répété (deux ou plus, par exemple une rotation des cultures) ; les zones de changement sont les polygones des cellules changées, un par classe et période de rupture. Périodes : un fichier de série fait par TerraEmbed, ou des rasters d'embeddings du même modèle dans l'ordre, au moins 2 (pour deux dates, utilisez 'Changement entre dates') ; une période sur une autre grille est rééchantillonnée (plus proche voisin) sur celle de la première. Une cellule compte quand elle a des données à chaque période. Coût : chaque période est lue une fois, bloc par bloc ; la mémoire reste la même quel que soit le nombre de périodes, le temps croît avec lui.</translation>
    </message>
    <message>
      <source>Resampling the period %r onto the grid of the first period (nearest neighbour).</source>
      <translation type="vanished">Rééchantillonnage de la période %r sur la grille de la première période (plus proche voisin).</translation>
    </message>
    <message>
      <source>%s is not on the grid of %s: resampled onto it (nearest neighbour) as %s.</source>
      <translation type="vanished">%s n'est pas sur la grille de %s : rééchantillonné dessus (plus proche voisin) sous le nom %s.</translation>
    </message>
    <message>
      <source>Computes foundation-model embeddings for an area of interest of a raster layer (or of imagery fetched from Google Earth Engine) and returns three results:
- Embedding grid: a GeoTIFF with one band per embedding dimension (emb_000...), one cell per 16x16 input pixels in tile mode, georeferenced like the input.
- PCA: the first principal components of the grid (default 3, shown as RGB).
- Pooled vector: the area of interest as a polygon with the pooled embedding in fields emb_000...
The grid and the PCA are Cloud Optimized GeoTIFFs (tiled, with averaged overviews), so QGIS and web viewers draw them zoomed out without reading every cell. Beside the grid (or the PCA when there is no grid) a STAC Item, &lt;grid name&gt;.stac.json, describes the run for other tools: footprint, dates, projection, model and weights, source imagery, embedding type and dimensions, and every output file.

Models: TerraFM-B (Sentinel-2, 12 bands B1..B12 without B10; or Sentinel-1 VV, VH in linear units), TerraFM-L (the same inputs; the most accurate TerraFM, about 3.2x TerraFM-B's compute per chip and 1024-dimensional) and TerraMind v1 tiny/small/base/large on Sentinel-2 L2A (12 bands), on Sentinel-1 GRD alone, on Sentinel-2 + Sentinel-1, or on Sentinel-2 + Sentinel-1 + DEM. Sentinel-2 values are surface reflectance 0..10000: use 'Scale' 10000 for rasters stored as 0..1 (it scales the Sentinel-2 bands only).
Sensors (TerraMind): Sentinel-2 alone is the default and the cheapest. Sentinel-1 alone sees through clouds and at night (radar: water, roughness, structure). Sentinel-2 + Sentinel-1 describes both the surface's colour and its structure, for cloudy areas, floods, crops and built-up land; adding the DEM adds terrain (slopes, valleys, landforms). Each sensor is cut into its own 14 x 14 tokens, the encoder attends over all sensors' tokens together, and each grid cell is the mean of the sensors' tokens at that place (terratorch's 'mean' merge), so the grid, PCA and pooled vector have the same shape and size as for one sensor. Cost: the encoder sees 2x (S2 + S1) or 3x (S2 + S1 + DEM) the tokens: counted, about 2.1-2.3x and 3.2-3.9x the compute per tile (the smaller the model, the higher). Inputs: the input raster holds Sentinel-2 (or every sensor, stacked: choose the bands in model order B1..B12, VV, VH, DEM); 'Sentinel-1 raster' and 'DEM raster' give the other sensors as their own layers, resampled (bilinear) onto the input raster's grid when they differ (the log says so). Sentinel-1 is linear backscatter (COPERNICUS/S1_GRD_FLOAT; 'Sentinel-1 input is in dB' converts dB data); TerraMind was trained on dB, so TerraEmbed converts it to dB (10 log10) before the TerraMind v1 S1GRD statistics. The DEM is in metres (a band whose unit says feet is converted); DEM nodata holes and areas a sensor raster does not cover get the pre-training mean (a neutral input) and a warning; a sensor raster that does not overlap the area is an error. With Earth Engine, all sensors are fetched on one grid (Sentinel-1 from COPERNICUS/S1_GRD_FLOAT, the DEM from COPERNICUS/DEM/GLO30).
Area of interest: an extent in any CRS (empty = the whole raster), or polygons ('Area of interest polygons': a layer, or only its selected features): pixels outside the polygons are then ignored, grid cells wholly outside them are nodata, and the pooled vector's polygon is the area of interest itself.
Bands: leave empty to match bands by their names (B1..B12, B01..B12, B8A, VV, VH, common names) or to use the raster's bands when it has exactly the number the model needs; otherwise pick them in model order (on the command line as a comma list: BANDS=1,2,3,4,5,6,7,8,9,10,11,12). A band chosen twice gets a warning.
Outputs: the embedding grid and the PCA are GeoTIFF files (.tif); the pooled embedding has one field per dimension (up to 1024), more than a shapefile holds: save it as a GeoPackage (.gpkg). Embedding grid compression (advanced): 'none' (the default) writes the grid at about its raw size (dimensions x cells x 4 bytes) and is the fastest to write and to read; embedding values hardly compress, so 'DEFLATE' makes the file smaller only where many cells are empty (nodata), e.g. outside a polygon area, and is slower.
A pooled embedding named *.parquet is written by the runtime as GeoParquet 1.1 (the embedding as one list column 'embedding', float32; type the name: the file chooser lists only what QGIS's GDAL writes); it is added as a layer only where QGIS's GDAL has the Parquet driver.
Input preparation: 'tile' cuts the area into 224-pixel tiles (memory stays bounded; the right choice for large areas); 'resize' resizes the whole area to 224 pixels (one 14x14 grid; an area enlarged more than 4x gets a warning); 'auto' tiles when the area is larger than one tile.
Tile overlap (tile mode): 'none' cuts abutting tiles (the reference's layout). A model sees less context near a tile's border, so abutting tiles leave visible seams in the embedding map; with '25%' (stride 160 px, about 2x the tiles and the time) or '50%' (stride 112 px, about 4x) tiles overlap and every grid cell is the mean of the tiles covering it, weighted by its distance from each tile's edges, so the map has no seams. The grid's cells and georeference and the pooled vector (area-weighted mean of the tiles) keep their meaning.
Geographic rasters (e.g. EPSG:4326) are warped to the UTM zone of the area's centre at about the source resolution, so cells are in metres.
Weights come from the Hugging Face hub (cached) or a local file (advanced). 'Random weights' is for testing only: the embeddings are then meaningless, and the outputs say so in their metadata.
</source>
      <translation type="vanished">Calcule les embeddings d'un modèle de fondation pour une zone d'intérêt d'une couche raster (ou d'une imagerie récupérée depuis Google Earth Engine) et renvoie trois résultats :
- Grille d'embeddings : un GeoTIFF avec une bande par dimension d'embedding (emb_000...), une cellule pour 16x16 pixels en entrée en mode tuiles, géoréférencé comme l'entrée.
- ACP : les premières composantes principales de la grille (3 par défaut, affichées en RVB).
- Vecteur agrégé : la zone d'intérêt sous forme de polygone avec l'embedding agrégé dans les champs emb_000...
La grille et l'ACP sont des Cloud Optimized GeoTIFF (en tuiles, avec des aperçus moyennés), si bien que QGIS et les visualiseurs web les affichent en vue d'ensemble sans lire chaque cellule. À côté de la grille (ou de l'ACP quand il n'y a pas de grille), un Item STAC, &lt;nom de la grille&gt;.stac.json, décrit l'exécution pour d'autres outils : emprise, dates, projection, modèle et poids, imagerie source, type et dimensions de l'embedding, et chaque fichier de sortie.

Modèles : TerraFM-B (Sentinel-2, 12 bandes B1..B12 sans B10 ; ou Sentinel-1 VV, VH en unités linéaires), TerraFM-L (les mêmes entrées ; le TerraFM le plus précis, environ 3,2x le calcul de TerraFM-B par tuile et 1024 dimensions) et TerraMind v1 tiny/small/base/large sur Sentinel-2 L2A (12 bandes), sur Sentinel-1 GRD seul, sur Sentinel-2 + Sentinel-1, ou sur Sentinel-2 + Sentinel-1 + MNT. Les valeurs Sentinel-2 sont des réflectances de surface 0..10000 : utilisez 'Échelle' 10000 pour les rasters stockés en 0..1 (cela ne met à l'échelle que les bandes Sentinel-2).
Capteurs (TerraMind) : Sentinel-2 seul est le choix par défaut et le moins coûteux. Sentinel-1 seul voit à travers les nuages et de nuit (radar : eau, rugosité, structure). Sentinel-2 + Sentinel-1 décrit à la fois la couleur de la surface et sa structure, pour les zones nuageuses, les inondations, les cultures et le bâti ; ajouter le MNT ajoute le relief (pentes, vallées, formes du terrain). Chaque capteur est découpé en ses propres jetons de 14 x 14, l'encodeur porte son attention sur les jetons de tous les capteurs ensemble, et chaque cellule de la grille est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' de terratorch), si bien que la grille, l'ACP et le vecteur agrégé ont la même forme et la même taille que pour un seul capteur. Coût : l'encodeur voit 2x (S2 + S1) ou 3x (S2 + S1 + MNT) les jetons : mesuré, environ 2,1-2,3x et 3,2-3,9x le calcul par tuile (d'autant plus que le modèle est petit). Entrées : le raster en entrée contient Sentinel-2 (ou tous les capteurs, empilés : choisissez les bandes dans l'ordre du modèle B1..B12, VV, VH, MNT) ; 'Raster Sentinel-1' et 'Raster MNT' fournissent les autres capteurs comme couches distinctes, rééchantillonnées (bilinéaire) sur la grille du raster en entrée quand elles diffèrent (le journal l'indique). Sentinel-1 est une rétrodiffusion linéaire (COPERNICUS/S1_GRD_FLOAT ; 'L'entrée Sentinel-1 est en dB' convertit des données en dB) ; TerraMind a été entraîné sur des dB, TerraEmbed la convertit donc en dB (10 log10) avant les statistiques S1GRD de TerraMind v1. Le MNT est en mètres (une bande dont l'unité indique des pieds est convertie) ; les trous nodata du MNT et les zones qu'un raster de capteur ne couvre pas reçoivent la moyenne de pré-entraînement (une entrée neutre) et un avertissement ; un raster de capteur qui ne recouvre pas la zone est une erreur. Avec Earth Engine, tous les capteurs sont récupérés sur une même grille (Sentinel-1 depuis COPERNICUS/S1_GRD_FLOAT, le MNT depuis COPERNICUS/DEM/GLO30).
Zone d'intérêt : une emprise dans n'importe quel SCR (vide = tout le raster), ou des polygones ('Polygones de la zone d'intérêt' : une couche, ou seulement ses entités sélectionnées) : les pixels hors des polygones sont alors ignorés, les cellules de la grille entièrement à l'extérieur sont nodata, et le polygone du vecteur agrégé est la zone d'intérêt elle-même.
Bandes : laissez vide pour faire correspondre les bandes par leur nom (B1..B12, B01..B12, B8A, VV, VH, noms courants) ou pour utiliser les bandes du raster quand il en a exactement le nombre requis par le modèle ; sinon choisissez-les dans l'ordre du modèle (en ligne de commande, sous forme de liste séparée par des virgules : BANDS=1,2,3,4,5,6,7,8,9,10,11,12). Une bande choisie deux fois donne un avertissement.
Sorties : la grille d'embeddings et l'ACP sont des fichiers GeoTIFF (.tif) ; l'embedding agrégé a un champ par dimension (jusqu'à 1024), plus que ce que contient un shapefile : enregistrez-le en GeoPackage (.gpkg). Compression de la grille d'embeddings (avancé) : 'none' (par défaut) écrit la grille à peu près à sa taille brute (dimensions x cellules x 4 octets) et est la plus rapide à écrire et à lire ; les valeurs d'embedding se compressent à peine, donc 'DEFLATE' ne réduit le fichier que là où beaucoup de cellules sont vides (nodata), par exemple hors d'une zone polygonale, et est plus lent.
Un embedding agrégé nommé *.parquet est écrit par le runtime en GeoParquet 1.1 (l'embedding sous forme d'une colonne liste 'embedding', float32 ; tapez le nom : le sélecteur de fichiers ne liste que ce que le GDAL de QGIS écrit) ; il n'est ajouté comme couche que là où le GDAL de QGIS a le pilote Parquet.
Préparation des entrées : 'tile' découpe la zone en tuiles de 224 pixels (la mémoire reste bornée ; le bon choix pour les grandes zones) ; 'resize' redimensionne toute la zone à 224 pixels (une grille de 14x14 ; une zone agrandie plus de 4x donne un avertissement) ; 'auto' découpe en tuiles quand la zone dépasse une tuile.
Recouvrement des tuiles (mode tuiles) : 'none' découpe des tuiles jointives (la disposition de référence). Un modèle voit moins de contexte près du bord d'une tuile, donc des tuiles jointives laissent des raccords visibles dans la carte d'embeddings ; avec '25%' (pas de 160 px, environ 2x les tuiles et le temps) ou '50%' (pas de 112 px, environ 4x) les tuiles se recouvrent et chaque cellule de la grille est la moyenne des tuiles qui la couvrent, pondérée par sa distance aux bords de chaque tuile, si bien que la carte n'a pas de raccords. Les cellules et le géoréférencement de la grille et le vecteur agrégé (moyenne des tuiles pondérée par la surface) gardent leur sens.
Les rasters géographiques (par exemple EPSG:4326) sont reprojetés dans la zone UTM du centre de la zone, à peu près à la résolution de la source, pour que les cellules soient en mètres.
Les poids viennent du hub Hugging Face (en cache) ou d'un fichier local (avancé). 'Poids aléatoires' sert uniquement aux tests : les embeddings n'ont alors aucun sens, et les sorties le signalent dans leurs métadonnées.
</translation>
    </message>
    <message>
      <source>Fetches Google DeepMind's AlphaEarth Foundations embeddings (Earth Engine %s: one 64-dimensional unit vector per 10 m cell and calendar year, published for %d-%d) for an area of interest and a year, as a 64-band float32 GeoTIFF (bands A00..A63) on the same explicit grid as 'Fetch Earth Engine composite' (the UTM zone of the area's centre at the chosen pixel size), with the chunked requests, retries, limits and on-disk cache of that fetch. Cells AlphaEarth masks are nodata (NaN). The file carries TerraEmbed's embedding tags (model 'alphaearth', 64 dimensions, the year, the collection), so PCA, similarity, clustering, classification, change and the Explore tool take it like a grid of 'Compute embeddings'; no model runs. A year the collection does not have over the area is refused with the years it has.

Years (YEARS, e.g. 2017..2025 or 2019,2021,2023; whole calendar years only; empty = the Year above): a series, one raster per year on exactly one grid, &lt;name&gt;_&lt;year&gt;.tif beside a series file &lt;name&gt;.vrt (the years' bands in order) that QGIS opens and that Change over time (terraembed:change_series) and the Explore timeline take. Each year is saved as soon as it is fetched: a failed or cancelled run keeps the years before it, and a new run with the same area and settings reuses them without a request (the log and the outputs count the years fetched, reused and skipped). A year the collection lacks over the area is named with the years it has, and stops the run or is skipped, as chosen. Cost: one fetch per year (years already in the imagery cache need no network).

On the grid of (GRID_LIKE, optional: e.g. a TerraMind embedding grid or the series file of Compute embeddings with periods): every year on exactly that raster's grid (CRS, transform and size; the area and pixel size above are not used), so the change maps of both series compare cell by cell. Cells of about 10 m are fetched on that grid itself; coarser cells (a model's grid cell is 16 x 16 pixels) are cut into cells of about 10 m, fetched, and each is the mean of the AlphaEarth vectors it covers (cells AlphaEarth masks left out), as the log says; this fetches (cell size / 10 m)^2 times more cells than the grid has.

Licence: %s; every use must carry the attribution "%s"

Google's int8 GeoTIFFs of the same embeddings (gs://alphaearth_foundations, Source Cooperative) need no fetch: the analysis algorithms read them as they are and de-quantise them.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.</source>
      <translation type="vanished">Récupère les embeddings AlphaEarth Foundations de Google DeepMind (Earth Engine %s : un vecteur unitaire de 64 dimensions par cellule de 10 m et par année civile, publiés pour %d-%d) pour une emprise et une année, sous la forme d'un GeoTIFF float32 de 64 bandes (bandes A00..A63) sur la même grille explicite que « Récupérer un composite Earth Engine » (la zone UTM du centre de l'emprise, à la taille de pixel choisie), avec les requêtes par morceaux, les nouvelles tentatives, les limites et le cache disque de cette récupération. Les cellules masquées par AlphaEarth sont sans données (NaN). Le fichier porte les métadonnées d'embeddings de TerraEmbed (modèle « alphaearth », 64 dimensions, l'année, la collection) : l'ACP, la similarité, le regroupement, la classification, le changement et l'outil Explorer le prennent comme une grille de « Calculer les embeddings » ; aucun modèle n'est exécuté. Une année que la collection n'a pas sur l'emprise est refusée, avec les années qu'elle a.

Années (YEARS, p. ex. 2017..2025 ou 2019,2021,2023 ; années civiles entières uniquement ; vide = l'année ci-dessus) : une série, un raster par année sur exactement une grille, &lt;nom&gt;_&lt;année&gt;.tif à côté d'un fichier de série &lt;nom&gt;.vrt (les bandes des années dans l'ordre) que QGIS ouvre et que Changement dans le temps (terraembed:change_series) et la chronologie de l'outil Explorer acceptent. Chaque année est enregistrée dès qu'elle est récupérée : une exécution échouée ou annulée garde les années précédentes, et une nouvelle exécution avec la même emprise et les mêmes réglages les réutilise sans requête (le journal et les sorties comptent les années récupérées, réutilisées et ignorées). Une année absente de la collection sur l'emprise est nommée avec les années disponibles, et arrête l'exécution ou est ignorée, selon le choix. Coût : une récupération par année (les années déjà dans le cache d'imagerie ne demandent aucun accès réseau).

Sur la grille de (GRID_LIKE, facultatif : p. ex. une grille d'embeddings TerraMind ou le fichier de série de Calculer les embeddings avec des périodes) : chaque année sur exactement la grille de ce raster (SCR, transformation et taille ; l'emprise et la taille de pixel ci-dessus ne servent pas), de sorte que les cartes de changement des deux séries se comparent cellule par cellule. Les cellules d'environ 10 m sont récupérées sur cette grille même ; les cellules plus grossières (une cellule de la grille d'un modèle fait 16 x 16 pixels) sont découpées en cellules d'environ 10 m, récupérées, et chacune est la moyenne des vecteurs AlphaEarth qu'elle couvre (les cellules masquées par AlphaEarth sont écartées), comme le dit le journal ; cela récupère (taille de cellule / 10 m)^2 fois plus de cellules que la grille n'en a.

Licence : %s ; toute utilisation doit porter la mention « %s »

Les GeoTIFF int8 de Google pour ces mêmes embeddings (gs://alphaearth_foundations, Source Cooperative) ne demandent aucune récupération : les algorithmes d'analyse les lisent tels quels et les déquantifient.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.</translation>
    </message>
    <message>
      <source>Fetches a composite from Google Earth Engine for an area of interest and a date range, as a float32 GeoTIFF on an explicit grid (the UTM zone of the area's centre at the chosen pixel size): Sentinel-2 surface reflectance (COPERNICUS/S2_SR_HARMONIZED, 12 bands B1..B12 without B10, images under the cloud limit, optional per-pixel cloud mask) or Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV and VH in linear units, IW mode preferred, optional orbit pass) or the Copernicus DEM (COPERNICUS/DEM/GLO30, a mosaic of its 30 m tiles, elevation in metres; no date filter), the third sensor of TerraMind on S2 + S1 + DEM. Large areas are fetched in chunks under Earth Engine's request limits and stitched exactly; results are cached on disk, so a repeated request needs no network. The provenance (collection, images used, filters) is written to the log, the file's metadata and a STAC Item beside it (&lt;name&gt;.stac.json: footprint, date range, collection). The result can feed 'Compute embeddings' as a raster layer.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.

</source>
      <translation type="vanished">Récupère un composite depuis Google Earth Engine pour une zone d'intérêt et une période, sous forme de GeoTIFF float32 sur une grille explicite (la zone UTM du centre de la zone à la taille de pixel choisie) : réflectance de surface Sentinel-2 (COPERNICUS/S2_SR_HARMONIZED, 12 bandes B1..B12 sans B10, images sous la limite de nuages, masque de nuages par pixel en option) ou Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV et VH en unités linéaires, mode IW privilégié, sens d'orbite en option) ou le MNT Copernicus (COPERNICUS/DEM/GLO30, une mosaïque de ses tuiles de 30 m, altitude en mètres ; pas de filtre de date), le troisième capteur de TerraMind sur S2 + S1 + MNT. Les grandes zones sont récupérées par morceaux sous les limites de requête d'Earth Engine et assemblées exactement ; les résultats sont mis en cache sur disque, donc une requête répétée n'a pas besoin du réseau. La provenance (collection, images utilisées, filtres) est écrite dans le journal, dans les métadonnées du fichier et dans un Item STAC à côté de lui (&lt;nom&gt;.stac.json : emprise, période, collection). Le résultat peut alimenter 'Calculer les embeddings' comme couche raster.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.

</translation>
    </message>
    <message>
      <source>Reduces an embedding raster (or any multiband raster) to its first k principal components. The PCA is fitted on a random sample of valid cells (reproducible with the seed) and applied block by block, so memory does not grow with the raster. Optional whitening scales each component to unit variance. The output is float32 with one band per component, band names with the explained variance, and the explained variance ratios in the metadata and the log. With 3 components it is shown as RGB.</source>
      <translation type="vanished">Réduit un raster d'embeddings (ou tout raster multibande) à ses k premières composantes principales. L'ACP est ajustée sur un échantillon aléatoire de cellules valides (reproductible avec la graine) et appliquée bloc par bloc, la mémoire ne croît donc pas avec le raster. Le blanchiment facultatif ramène chaque composante à une variance unitaire. La sortie est en float32 avec une bande par composante, des noms de bandes indiquant la variance expliquée, et les ratios de variance expliquée dans les métadonnées et le journal. Avec 3 composantes, elle est affichée en RVB.</translation>
    </message>
    <message>
      <source>Unknown input preparation %r: use one of %s.</source>
      <translation type="vanished">Préparation des entrées inconnue %r : utilisez l'une de %s.</translation>
    </message>
    <message>
      <source>Unknown tile overlap %r: use one of %s.</source>
      <translation type="vanished">Recouvrement des tuiles inconnu %r : utilisez l'un de %s.</translation>
    </message>
    <message>
      <source>Unknown feature vector %r: use one of %s.</source>
      <translation type="vanished">Vecteur d'entité inconnu %r : utilisez l'un de %s.</translation>
    </message>
    <message>
      <source>Unknown grid compression %r: use one of %s.</source>
      <translation type="vanished">Compression de grille inconnue %r : utilisez l'une de %s.</translation>
    </message>
    <message>
      <source>if_no_imagery must be one of %s, not %r.</source>
      <translation type="vanished">if_no_imagery doit être l'une de %s, pas %r.</translation>
    </message>
    <message>
      <source>Unknown cloud_mask %r; use one of %s.</source>
      <translation type="vanished">cloud_mask inconnu %r ; utilisez l'un de %s.</translation>
    </message>
    <message>
      <source>The ee_fetch job needs an 'output' GeoTIFF path.</source>
      <translation type="vanished">Le job ee_fetch demande un chemin 'output' de GeoTIFF.</translation>
    </message>
    <message>
      <source>The alphaearth_fetch job needs an 'output' GeoTIFF path.</source>
      <translation type="vanished">Le job alphaearth_fetch nécessite un chemin 'output' de GeoTIFF.</translation>
    </message>
    <message>
      <source>'method' must be one of %s, got %r.</source>
      <translation type="vanished">'method' doit être l'une des valeurs %s, reçu %r.</translation>
    </message>
    <message>
      <source>'validation' must be one of %s, got %r.</source>
      <translation type="vanished">'validation' doit être l'une de %s, reçu %r.</translation>
    </message>
    <message>
      <source>Fetches Google DeepMind's AlphaEarth Foundations embeddings (Earth Engine %s: one 64-dimensional unit vector per 10 m cell and calendar year, published for %d-%d) for an area of interest and a year, as a 64-band float32 GeoTIFF (bands A00..A63) on the same explicit grid as 'Fetch Earth Engine composite' (the UTM zone of the area's centre at the chosen pixel size), with the chunked requests, retries, limits and on-disk cache of that fetch. Cells AlphaEarth masks are nodata (NaN). The file carries TerraEmbed's embedding tags (model 'alphaearth', 64 dimensions, the year, the collection), so PCA, similarity, clustering, classification, change and the Explore tool take it like a grid of 'Compute embeddings'; no model runs. A year the collection does not have over the area is refused with the years it has. Fetch one year per run (a series of years: one run each).

Licence: %s; every use must carry the attribution "%s"

Google's int8 GeoTIFFs of the same embeddings (gs://alphaearth_foundations, Source Cooperative) need no fetch: the analysis algorithms read them as they are and de-quantise them.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.</source>
      <translation type="vanished">Récupère les embeddings AlphaEarth Foundations de Google DeepMind (Earth Engine %s : un vecteur unitaire de 64 dimensions par cellule de 10 m et par année civile, publiés pour %d-%d) pour une zone d'intérêt et une année, sous forme de GeoTIFF float32 de 64 bandes (bandes A00..A63) sur la même grille explicite que 'Récupérer un composite Earth Engine' (la zone UTM du centre de la zone à la taille de pixel choisie), avec les requêtes par morceaux, les nouvelles tentatives, les limites et le cache disque de cette récupération. Les cellules masquées par AlphaEarth sont nodata (NaN). Le fichier porte les étiquettes d'embedding de TerraEmbed (modèle 'alphaearth', 64 dimensions, l'année, la collection), si bien que l'ACP, la similarité, le regroupement, la classification, le changement et l'outil Exploration le prennent comme une grille de 'Calculer les embeddings' ; aucun modèle ne tourne. Une année que la collection n'a pas sur la zone est refusée avec les années disponibles. Récupérez une année par exécution (une série d'années : une exécution chacune).

Licence : %s ; toute utilisation doit porter l'attribution "%s"

Les GeoTIFF int8 de Google des mêmes embeddings (gs://alphaearth_foundations, Source Cooperative) n'ont pas besoin d'être récupérés : les algorithmes d'analyse les lisent tels quels et les dé-quantifient.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.</translation>
    </message>
    <message>
      <source>AlphaEarth needs an area of interest: draw or choose an extent.</source>
      <translation type="vanished">AlphaEarth nécessite une zone d'intérêt : dessinez ou choisissez une emprise.</translation>
    </message>
    <message>
      <source>The AOI is %d x %d = %d cells at scale %g, over the cap of %d cells (max_pixels). Use a smaller AOI or a coarser scale, or raise the cap.</source>
      <translation type="vanished">La zone d'intérêt fait %d x %d = %d cellules à l'échelle %g, au-delà du plafond de %d cellules (max_pixels). Utilisez une zone plus petite ou une échelle plus grossière, ou relevez le plafond.</translation>
    </message>
    <message>
      <source>Classifies every cell of an embedding raster from a few labelled points or polygons (a class field). The embeddings under the labels train a logistic regression or a k-nearest-neighbours classifier (scikit-learn), which predicts every cell block by block. Outputs: a class raster (codes 1..n in the order classes first appear, 0 = nodata, palette, class names in the metadata), optionally a probability raster (one band per class) and a CSV table with cross-validated accuracy and per-class precision, recall and F1. Cross-validation keeps the cells of one labelled feature together when every class has at least two features; the log says which scheme was used. Reproducible with the seed. With a field marking negative examples, features whose value is below 0 are left out of the training (a negative example says what a place is not, not a class); the log says how many.</source>
      <translation type="vanished">Classe chaque cellule d'un raster d'embeddings à partir de quelques points ou polygones étiquetés (un champ de classe). Les embeddings sous les étiquettes entraînent une régression logistique ou un classifieur des k plus proches voisins (scikit-learn), qui prédit chaque cellule bloc par bloc. Sorties : un raster de classes (codes 1..n dans l'ordre d'apparition des classes, 0 = nodata, palette, noms des classes dans les métadonnées), en option un raster de probabilités (une bande par classe) et une table CSV avec l'exactitude en validation croisée et la précision, le rappel et le F1 par classe. La validation croisée garde ensemble les cellules d'une même entité étiquetée quand chaque classe a au moins deux entités ; le journal indique le schéma utilisé. Reproductible avec la graine. Avec un champ marquant les exemples négatifs, les entités dont la valeur est inférieure à 0 sont exclues de l'entraînement (un exemple négatif dit ce qu'un lieu n'est pas, ce n'est pas une classe) ; le journal indique combien.</translation>
    </message>
    <message>
      <source>the cross-validated confusion matrix as a heat map with counts, precision, recall and F1 per class, the cross-validation scheme and folds, and the training and predicted cells per class.</source>
      <translation type="vanished">la matrice de confusion en validation croisée sous forme de carte de chaleur avec les effectifs, la précision, le rappel et le F1 par classe, le schéma et les plis de validation croisée, et les cellules d'entraînement et prédites par classe.</translation>
    </message>
    <message>
      <source>not embedded: %s</source>
      <translation type="vanished">non traitée : %s</translation>
    </message>
    <message>
      <source>no vector</source>
      <translation type="vanished">aucun vecteur</translation>
    </message>
    <message>
      <source>Computes foundation-model embeddings for an area of interest of a raster layer (or of imagery fetched from Google Earth Engine) and returns three results:
- Embedding grid: a GeoTIFF with one band per embedding dimension (emb_000...), one cell per 16x16 input pixels in tile mode, georeferenced like the input.
- PCA: the first principal components of the grid (default 3, shown as RGB).
- Pooled vector: the area of interest as a polygon with the pooled embedding in fields emb_000...

Models: TerraFM-B (Sentinel-2, 12 bands B1..B12 without B10; or Sentinel-1 VV, VH in linear units), TerraFM-L (the same inputs; the most accurate TerraFM, about 3.2x TerraFM-B's compute per chip and 1024-dimensional) and TerraMind v1 tiny/small/base/large on Sentinel-2 L2A (12 bands), on Sentinel-1 GRD alone, on Sentinel-2 + Sentinel-1, or on Sentinel-2 + Sentinel-1 + DEM. Sentinel-2 values are surface reflectance 0..10000: use 'Scale' 10000 for rasters stored as 0..1 (it scales the Sentinel-2 bands only).
Sensors (TerraMind): Sentinel-2 alone is the default and the cheapest. Sentinel-1 alone sees through clouds and at night (radar: water, roughness, structure). Sentinel-2 + Sentinel-1 describes both the surface's colour and its structure, for cloudy areas, floods, crops and built-up land; adding the DEM adds terrain (slopes, valleys, landforms). Each sensor is cut into its own 14 x 14 tokens, the encoder attends over all sensors' tokens together, and each grid cell is the mean of the sensors' tokens at that place (terratorch's 'mean' merge), so the grid, PCA and pooled vector have the same shape and size as for one sensor. Cost: the encoder sees 2x (S2 + S1) or 3x (S2 + S1 + DEM) the tokens: counted, about 2.1-2.3x and 3.2-3.9x the compute per tile (the smaller the model, the higher). Inputs: the input raster holds Sentinel-2 (or every sensor, stacked: choose the bands in model order B1..B12, VV, VH, DEM); 'Sentinel-1 raster' and 'DEM raster' give the other sensors as their own layers, resampled (bilinear) onto the input raster's grid when they differ (the log says so). Sentinel-1 is linear backscatter (COPERNICUS/S1_GRD_FLOAT; 'Sentinel-1 input is in dB' converts dB data); TerraMind was trained on dB, so TerraEmbed converts it to dB (10 log10) before the TerraMind v1 S1GRD statistics. The DEM is in metres (a band whose unit says feet is converted); DEM nodata holes and areas a sensor raster does not cover get the pre-training mean (a neutral input) and a warning; a sensor raster that does not overlap the area is an error. With Earth Engine, all sensors are fetched on one grid (Sentinel-1 from COPERNICUS/S1_GRD_FLOAT, the DEM from COPERNICUS/DEM/GLO30).
Area of interest: an extent in any CRS (empty = the whole raster), or polygons ('Area of interest polygons': a layer, or only its selected features): pixels outside the polygons are then ignored, grid cells wholly outside them are nodata, and the pooled vector's polygon is the area of interest itself.
Bands: leave empty to match bands by their names (B1..B12, B01..B12, B8A, VV, VH, common names) or to use the raster's bands when it has exactly the number the model needs; otherwise pick them in model order (on the command line as a comma list: BANDS=1,2,3,4,5,6,7,8,9,10,11,12). A band chosen twice gets a warning.
Outputs: the embedding grid and the PCA are GeoTIFF files (.tif); the pooled embedding has one field per dimension (up to 1024), more than a shapefile holds: save it as a GeoPackage (.gpkg). Embedding grid compression (advanced): 'none' (the default) writes the grid at about its raw size (dimensions x cells x 4 bytes) and is the fastest to write and to read; embedding values hardly compress, so 'DEFLATE' makes the file smaller only where many cells are empty (nodata), e.g. outside a polygon area, and is slower.
Input preparation: 'tile' cuts the area into 224-pixel tiles (memory stays bounded; the right choice for large areas); 'resize' resizes the whole area to 224 pixels (one 14x14 grid; an area enlarged more than 4x gets a warning); 'auto' tiles when the area is larger than one tile.
Tile overlap (tile mode): 'none' cuts abutting tiles (the reference's layout). A model sees less context near a tile's border, so abutting tiles leave visible seams in the embedding map; with '25%' (stride 160 px, about 2x the tiles and the time) or '50%' (stride 112 px, about 4x) tiles overlap and every grid cell is the mean of the tiles covering it, weighted by its distance from each tile's edges, so the map has no seams. The grid's cells and georeference and the pooled vector (area-weighted mean of the tiles) keep their meaning.
Geographic rasters (e.g. EPSG:4326) are warped to the UTM zone of the area's centre at about the source resolution, so cells are in metres.
Weights come from the Hugging Face hub (cached) or a local file (advanced). 'Random weights' is for testing only: the embeddings are then meaningless, and the outputs say so in their metadata.
</source>
      <translation type="vanished">Calcule les embeddings d'un modèle de fondation pour une zone d'intérêt d'une couche raster (ou d'une imagerie récupérée depuis Google Earth Engine) et renvoie trois résultats :
- Grille d'embeddings : un GeoTIFF avec une bande par dimension d'embedding (emb_000...), une cellule pour 16x16 pixels en entrée en mode tuiles, géoréférencé comme l'entrée.
- ACP : les premières composantes principales de la grille (3 par défaut, affichées en RVB).
- Vecteur agrégé : la zone d'intérêt sous forme de polygone avec l'embedding agrégé dans les champs emb_000...

Modèles : TerraFM-B (Sentinel-2, 12 bandes B1..B12 sans B10 ; ou Sentinel-1 VV, VH en unités linéaires), TerraFM-L (les mêmes entrées ; le TerraFM le plus précis, environ 3,2x le calcul de TerraFM-B par tuile et 1024 dimensions) et TerraMind v1 tiny/small/base/large sur Sentinel-2 L2A (12 bandes), sur Sentinel-1 GRD seul, sur Sentinel-2 + Sentinel-1, ou sur Sentinel-2 + Sentinel-1 + MNT. Les valeurs Sentinel-2 sont des réflectances de surface 0..10000 : utilisez 'Échelle' 10000 pour les rasters stockés en 0..1 (cela ne met à l'échelle que les bandes Sentinel-2).
Capteurs (TerraMind) : Sentinel-2 seul est le choix par défaut et le moins coûteux. Sentinel-1 seul voit à travers les nuages et de nuit (radar : eau, rugosité, structure). Sentinel-2 + Sentinel-1 décrit à la fois la couleur de la surface et sa structure, pour les zones nuageuses, les inondations, les cultures et le bâti ; ajouter le MNT ajoute le relief (pentes, vallées, formes du terrain). Chaque capteur est découpé en ses propres jetons de 14 x 14, l'encodeur porte son attention sur les jetons de tous les capteurs ensemble, et chaque cellule de la grille est la moyenne des jetons des capteurs à cet endroit (fusion 'mean' de terratorch), si bien que la grille, l'ACP et le vecteur agrégé ont la même forme et la même taille que pour un seul capteur. Coût : l'encodeur voit 2x (S2 + S1) ou 3x (S2 + S1 + MNT) les jetons : mesuré, environ 2,1-2,3x et 3,2-3,9x le calcul par tuile (d'autant plus que le modèle est petit). Entrées : le raster en entrée contient Sentinel-2 (ou tous les capteurs, empilés : choisissez les bandes dans l'ordre du modèle B1..B12, VV, VH, MNT) ; 'Raster Sentinel-1' et 'Raster MNT' fournissent les autres capteurs comme couches distinctes, rééchantillonnées (bilinéaire) sur la grille du raster en entrée quand elles diffèrent (le journal l'indique). Sentinel-1 est une rétrodiffusion linéaire (COPERNICUS/S1_GRD_FLOAT ; 'L'entrée Sentinel-1 est en dB' convertit des données en dB) ; TerraMind a été entraîné sur des dB, TerraEmbed la convertit donc en dB (10 log10) avant les statistiques S1GRD de TerraMind v1. Le MNT est en mètres (une bande dont l'unité indique des pieds est convertie) ; les trous nodata du MNT et les zones qu'un raster de capteur ne couvre pas reçoivent la moyenne de pré-entraînement (une entrée neutre) et un avertissement ; un raster de capteur qui ne recouvre pas la zone est une erreur. Avec Earth Engine, tous les capteurs sont récupérés sur une même grille (Sentinel-1 depuis COPERNICUS/S1_GRD_FLOAT, le MNT depuis COPERNICUS/DEM/GLO30).
Zone d'intérêt : une emprise dans n'importe quel SCR (vide = tout le raster), ou des polygones ('Polygones de la zone d'intérêt' : une couche, ou seulement ses entités sélectionnées) : les pixels hors des polygones sont alors ignorés, les cellules de la grille entièrement à l'extérieur sont nodata, et le polygone du vecteur agrégé est la zone d'intérêt elle-même.
Bandes : laissez vide pour faire correspondre les bandes par leur nom (B1..B12, B01..B12, B8A, VV, VH, noms courants) ou pour utiliser les bandes du raster quand il en a exactement le nombre requis par le modèle ; sinon choisissez-les dans l'ordre du modèle (en ligne de commande, sous forme de liste séparée par des virgules : BANDS=1,2,3,4,5,6,7,8,9,10,11,12). Une bande choisie deux fois donne un avertissement.
Sorties : la grille d'embeddings et l'ACP sont des fichiers GeoTIFF (.tif) ; l'embedding agrégé a un champ par dimension (jusqu'à 1024), plus que ce que contient un shapefile : enregistrez-le en GeoPackage (.gpkg). Compression de la grille d'embeddings (avancé) : 'none' (par défaut) écrit la grille à peu près à sa taille brute (dimensions x cellules x 4 octets) et est la plus rapide à écrire et à lire ; les valeurs d'embedding se compressent à peine, donc 'DEFLATE' ne réduit le fichier que là où beaucoup de cellules sont vides (nodata), par exemple hors d'une zone polygonale, et est plus lent.
Préparation des entrées : 'tile' découpe la zone en tuiles de 224 pixels (la mémoire reste bornée ; le bon choix pour les grandes zones) ; 'resize' redimensionne toute la zone à 224 pixels (une grille de 14x14 ; une zone agrandie plus de 4x donne un avertissement) ; 'auto' découpe en tuiles quand la zone dépasse une tuile.
Recouvrement des tuiles (mode tuiles) : 'none' découpe des tuiles jointives (la disposition de référence). Un modèle voit moins de contexte près du bord d'une tuile, donc des tuiles jointives laissent des raccords visibles dans la carte d'embeddings ; avec '25%' (pas de 160 px, environ 2x les tuiles et le temps) ou '50%' (pas de 112 px, environ 4x) les tuiles se recouvrent et chaque cellule de la grille est la moyenne des tuiles qui la couvrent, pondérée par sa distance aux bords de chaque tuile, si bien que la carte n'a pas de raccords. Les cellules et le géoréférencement de la grille et le vecteur agrégé (moyenne des tuiles pondérée par la surface) gardent leur sens.
Les rasters géographiques (par exemple EPSG:4326) sont reprojetés dans la zone UTM du centre de la zone, à peu près à la résolution de la source, pour que les cellules soient en mètres.
Les poids viennent du hub Hugging Face (en cache) ou d'un fichier local (avancé). 'Poids aléatoires' sert uniquement aux tests : les embeddings n'ont alors aucun sens, et les sorties le signalent dans leurs métadonnées.
</translation>
    </message>
    <message>
      <source>Fetches a composite from Google Earth Engine for an area of interest and a date range, as a float32 GeoTIFF on an explicit grid (the UTM zone of the area's centre at the chosen pixel size): Sentinel-2 surface reflectance (COPERNICUS/S2_SR_HARMONIZED, 12 bands B1..B12 without B10, images under the cloud limit, optional per-pixel cloud mask) or Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV and VH in linear units, IW mode preferred, optional orbit pass) or the Copernicus DEM (COPERNICUS/DEM/GLO30, a mosaic of its 30 m tiles, elevation in metres; no date filter), the third sensor of TerraMind on S2 + S1 + DEM. Large areas are fetched in chunks under Earth Engine's request limits and stitched exactly; results are cached on disk, so a repeated request needs no network. The provenance (collection, images used, filters) is written to the log and the file's metadata. The result can feed 'Compute embeddings' as a raster layer.

Needs Earth Engine credentials (`earthengine authenticate`, or a service-account key file in the settings) and a Cloud project registered for Earth Engine.</source>
      <translation type="vanished">Récupère un composite depuis Google Earth Engine pour une zone d'intérêt et une période, sous forme de GeoTIFF float32 sur une grille explicite (la zone UTM du centre de la zone à la taille de pixel choisie) : réflectance de surface Sentinel-2 (COPERNICUS/S2_SR_HARMONIZED, 12 bandes B1..B12 sans B10, images sous la limite de nuages, masque de nuages par pixel en option) ou Sentinel-1 (COPERNICUS/S1_GRD_FLOAT, VV et VH en unités linéaires, mode IW privilégié, sens d'orbite en option) ou le MNT Copernicus (COPERNICUS/DEM/GLO30, une mosaïque de ses tuiles de 30 m, altitude en mètres ; pas de filtre de date), le troisième capteur de TerraMind sur S2 + S1 + MNT. Les grandes zones sont récupérées par morceaux sous les limites de requête d'Earth Engine et assemblées exactement ; les résultats sont mis en cache sur disque, donc une requête répétée n'a pas besoin du réseau. La provenance (collection, images utilisées, filtres) est écrite dans le journal et dans les métadonnées du fichier. Le résultat peut alimenter 'Calculer les embeddings' comme couche raster.

Nécessite des identifiants Earth Engine (`earthengine authenticate`, ou un fichier de clé de compte de service dans les paramètres) et un projet Cloud enregistré pour Earth Engine.</translation>
    </message>
    <message>
      <source>Some class has a single labelled geometry, so cross-validation splits cells, not geometries: neighbouring cells of one geometry end up in both training and test folds and the accuracy is optimistic. Label at least 2 geometries per class.</source>
      <translation type="vanished">Une classe n'a qu'une seule géométrie étiquetée, la validation croisée sépare donc des cellules et non des géométries : des cellules voisines d'une même géométrie se retrouvent dans les plis d'entraînement et de test, et l'exactitude est optimiste. Étiquetez au moins 2 géométries par classe.</translation>
    </message>
    <message>
      <source>Cross-validation skipped: some class has a single labelled cell.</source>
      <translation type="vanished">Validation croisée ignorée : une classe n'a qu'une seule cellule étiquetée.</translation>
    </message>
    <message>
      <source>Cross-validated accuracy (%d folds, %s): %.3f</source>
      <translation type="vanished">Exactitude en validation croisée (%d plis, %s) : %.3f</translation>
    </message>
    <message>
      <source>Dask worker(s) %s run with %s=%s (the Dask nanny's default), which slows the model by about 10-15 %%: start `dask worker` with DASK_CONFIG set to the plugin's shell/dask folder (README, 'Running on a cluster').</source>
      <translation type="vanished">Le(s) worker(s) Dask %s tourne(nt) avec %s=%s (la valeur par défaut du nanny Dask), ce qui ralentit le modèle d'environ 10-15 %% : démarrez `dask worker` avec DASK_CONFIG pointant sur le dossier shell/dask du plugin (README, 'Running on a cluster').</translation>
    </message>
    <message>
      <source>%s vectors must be lists of numbers, one per band.</source>
      <translation type="vanished">Les vecteurs %s doivent être des listes de nombres, un par bande.</translation>
    </message>
    <message>
      <source>  %-16s %s</source>
      <translation type="vanished">  %-16s %s</translation>
    </message>
    <message>
      <source>  %-*s %s  %s</source>
      <translation type="vanished">  %-*s %s  %s</translation>
    </message>
    <message>
      <source>%s %s</source>
      <translation type="vanished">%s %s</translation>
    </message>
    <message>
      <source>'%s' (%s)</source>
      <translation type="vanished">'%s' (%s)</translation>
    </message>
    <message>
      <source>%.4f</source>
      <translation type="vanished">%.4f</translation>
    </message>
    <message>
      <source> (%s)</source>
      <translation type="vanished"> (%s)</translation>
    </message>
  </context>
  <context>
    <name>Report</name>
    <message>
      <location filename="../engine/report/embedding.py" />
      <source>auto</source>
      <translation>automatique</translation>
    </message>
    <message>
      <location filename="../engine/report/page.py" />
      <source>Run</source>
      <translation>Exécution</translation>
    </message>
  </context>
</TS>
