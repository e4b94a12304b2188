from django.db import models


class Item(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    email = models.EmailField()
    created_at = models.DateTimeField(db_index=True)
