"""What every hall event table shares: rows are appended, never changed or deleted.

The guard itself is :mod:`hotline.appendonly`, shared by every app's event tables; it is named here
so the hall's models (and the apps that import it from :mod:`hotline.hall.models`) keep one import.
"""

from hotline.appendonly import AppendOnlyQuerySet

__all__ = ["AppendOnlyQuerySet"]
