"""The LAPOR! topics and sub-topics seeded into a new installation (SPEC §10).

The topics are SP4N-LAPOR!'s own; the sub-topics are a starting set an administrator edits
in the admin. Order here is the order shown to the citizen ("Topik Lainnya" last).
Slugs are derived from the names (see ``loading.py``), so renaming an entry here creates a
new category instead of renaming the old one.
"""

CATEGORIES: list[tuple[str, list[str]]] = [
    ("Agama", [
        "Kerukunan Umat Beragama",
        "Rumah Ibadah",
        "Penyelenggaraan Ibadah Haji dan Umrah",
        "Pendidikan Keagamaan dan Madrasah",
        "Layanan KUA dan Pernikahan",
        "Sertifikasi Halal",
    ]),
    ("Ekonomi dan Keuangan", [
        "Perpajakan",
        "Pajak dan Retribusi Daerah",
        "Perbankan dan Kredit",
        "Bantuan Usaha Mikro, Kecil, dan Menengah",
        "Pinjaman Online Ilegal",
    ]),
    ("Kesehatan", [
        "Pelayanan Puskesmas",
        "Pelayanan Rumah Sakit",
        "BPJS Kesehatan",
        "Obat dan Alat Kesehatan",
        "Imunisasi dan Gizi Anak",
        "Stunting",
    ]),
    ("Kesetaraan Gender dan Sosial Inklusif", [
        "Kekerasan terhadap Perempuan",
        "Perlindungan Anak",
        "Aksesibilitas Penyandang Disabilitas",
        "Diskriminasi dalam Pelayanan Publik",
    ]),
    ("Ketentraman, Ketertiban Umum, dan Perlindungan Masyarakat", [
        "Pedagang Kaki Lima",
        "Gangguan Ketertiban dan Keamanan Lingkungan",
        "Penertiban Bangunan Liar",
        "Reklame dan Spanduk Liar",
        "Kebakaran dan Penanggulangan Bencana",
    ]),
    ("Lingkungan Hidup dan Kehutanan", [
        "Sampah dan Kebersihan",
        "Pencemaran Air, Udara, dan Tanah",
        "Kebakaran Hutan dan Lahan",
        "Pertambangan Tanpa Izin",
        "Ruang Terbuka Hijau dan Pohon Tumbang",
    ]),
    ("Pekerjaan Umum dan Penataan Ruang", [
        "Jalan Rusak",
        "Drainase dan Banjir",
        "Lampu Penerangan Jalan",
        "Air Bersih/PDAM",
        "Tata Ruang dan IMB/PBG",
        "Jembatan",
    ]),
    ("Pembangunan Desa, Daerah Tertinggal, dan Transmigrasi", [
        "Dana Desa",
        "Pelayanan Pemerintah Desa",
        "Badan Usaha Milik Desa (BUMDes)",
        "Transmigrasi",
    ]),
    ("Pendidikan dan Kebudayaan", [
        "Penerimaan Peserta Didik Baru",
        "Kartu Indonesia Pintar (KIP)",
        "Pungutan di Sekolah",
        "Sarana dan Prasarana Sekolah",
        "Guru dan Tenaga Kependidikan",
        "Cagar Budaya dan Kebudayaan",
    ]),
    ("Pertanian dan Peternakan", [
        "Pupuk Bersubsidi",
        "Irigasi",
        "Bantuan Alat dan Benih Pertanian",
        "Kesehatan Hewan dan Ternak",
        "Harga Hasil Pertanian",
    ]),
    ("Politik dan Hukum", [
        "Pungutan Liar",
        "Korupsi, Kolusi, dan Nepotisme",
        "Bantuan Hukum",
        "Pertanahan dan Sertifikat Tanah",
        "Pelayanan Kepolisian",
    ]),
    ("Netralitas ASN", [
        "Keterlibatan ASN dalam Kampanye",
        "Penggunaan Fasilitas Negara untuk Kepentingan Politik",
        "Pernyataan Dukungan di Media Sosial",
    ]),
    ("Sosial dan Kesejahteraan", [
        "Program Keluarga Harapan (PKH)",
        "Bantuan Pangan Non Tunai",
        "Data Terpadu Kesejahteraan Sosial (DTKS)",
        "Rumah Tidak Layak Huni",
        "Anak Terlantar dan Gelandangan",
    ]),
    ("Energi dan Sumber Daya Alam", [
        "Listrik dan PLN",
        "BBM dan SPBU",
        "LPG Bersubsidi",
        "Pertambangan",
    ]),
    ("Kependudukan", [
        "KTP Elektronik",
        "Kartu Keluarga",
        "Akta Kelahiran",
        "Akta Kematian",
        "Pindah Datang Penduduk",
        "Kartu Identitas Anak",
    ]),
    ("Ketenagakerjaan", [
        "Upah dan Tunjangan Hari Raya",
        "Pemutusan Hubungan Kerja",
        "BPJS Ketenagakerjaan",
        "Pekerja Migran Indonesia",
        "Pelatihan Kerja dan Kartu Prakerja",
    ]),
    ("Perhubungan", [
        "Angkutan Umum",
        "Parkir",
        "Rambu dan Lampu Lalu Lintas",
        "Pengujian Kendaraan Bermotor",
        "Pelabuhan dan Bandar Udara",
    ]),
    ("Perlindungan Konsumen", [
        "Belanja Daring",
        "Takaran dan Timbangan",
        "Keamanan Pangan",
        "Harga Barang Kebutuhan Pokok",
    ]),
    ("Teknologi Informasi dan Komunikasi", [
        "Jaringan Telekomunikasi dan Internet",
        "Layanan Pemerintahan Berbasis Elektronik",
        "Penipuan dan Hoaks",
        "Pelindungan Data Pribadi",
    ]),
    ("Kekerasan di Satuan Pendidikan", [
        "Perundungan",
        "Kekerasan Seksual",
        "Intoleransi",
        "Kekerasan Fisik dan Psikis",
    ]),
    ("Pencegahan dan Pemberantasan Penyalahgunaan dan Peredaran Gelap Narkotika", [
        "Peredaran Narkotika",
        "Rehabilitasi Pecandu Narkotika",
        "Penyuluhan dan Pencegahan",
    ]),
    ("Topik Lainnya", [
        "Lainnya",
        "Saran dan Masukan untuk LAPOR!",
        "Kendala Penggunaan Aplikasi LAPOR!",
    ]),
]
