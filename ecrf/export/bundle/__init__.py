"""One bundle: the staging writer, the file layout, the manifest and its CMS signature, the site identity."""
