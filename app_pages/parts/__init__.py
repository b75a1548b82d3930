"""Parts of pages, each used by one or more pages: the evidence panel, preview and download, the item-month form,
the LKE mapping editor, and the monev meeting, follow-ups and lembar. Import the frame and zi_data, never a page."""
