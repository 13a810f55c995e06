"""What a merge decided about each bundle (`run`) and how that is kept in the central database (`log`)."""
