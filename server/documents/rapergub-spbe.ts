import type { Node } from 'prosemirror-model'
import { regulation, bab, bagian, paragraf, pasal, ayat } from '../../shared/model/builders.js'

export const RAPERGUB_SPBE_ID = 'rapergub-spbe'
export const RAPERGUB_SPBE_TITLE = 'Rancangan Peraturan Gubernur Kalimantan Timur tentang Sistem Pemerintahan Berbasis Elektronik'

const DEFINISI = [
  'Daerah adalah Provinsi Kalimantan Timur.',
  'Pemerintah Daerah adalah Gubernur sebagai unsur penyelenggara pemerintahan yang memimpin pelaksanaan urusan pemerintahan yang menjadi kewenangan Daerah.',
  'Gubernur adalah Gubernur Kalimantan Timur.',
  'Sekretaris Daerah adalah Sekretaris Daerah Provinsi Kalimantan Timur.',
  'Perangkat Daerah adalah unsur pembantu Gubernur dalam penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.',
  'Dinas adalah Perangkat Daerah yang membidangi urusan pemerintahan di bidang komunikasi dan informatika serta urusan pemerintahan di bidang persandian.',
  'Sistem Pemerintahan Berbasis Elektronik yang selanjutnya disingkat SPBE adalah pelaksanaan urusan pemerintahan dengan dukungan teknologi informasi dan komunikasi untuk melayani Pengguna SPBE.',
  'Tata Kelola SPBE adalah kerangka pengaturan, pengarahan, dan pengendalian yang menjamin penerapan SPBE di lingkungan Pemerintah Daerah berjalan secara terpadu.',
  'Manajemen SPBE adalah serangkaian proses yang dijalankan agar penerapan SPBE berlangsung efektif, efisien, dan berkelanjutan serta menghasilkan layanan SPBE yang bermutu.',
  'Arsitektur SPBE Pemerintah Daerah adalah rancangan dasar yang memetakan hubungan terpadu antara Proses Bisnis, data dan informasi, infrastruktur SPBE, aplikasi SPBE, keamanan SPBE, dan layanan SPBE di lingkungan Pemerintah Daerah.',
  'Peta Rencana SPBE Pemerintah Daerah adalah dokumen perencanaan yang menetapkan arah, sasaran, dan tahapan pelaksanaan SPBE di Daerah secara terpadu untuk jangka waktu tertentu.',
  'Proses Bisnis adalah rangkaian kegiatan yang tersusun dan saling berkaitan yang dilaksanakan Perangkat Daerah dalam menjalankan tugas dan fungsinya.',
  'Aplikasi Umum adalah aplikasi SPBE berstandar sama yang ditetapkan untuk dipakai bersama oleh instansi pusat dan/atau pemerintah daerah.',
  'Aplikasi Khusus adalah aplikasi SPBE yang dibangun dan dikelola oleh Perangkat Daerah untuk memenuhi kebutuhan yang bersifat spesifik dan tidak menjadi kebutuhan instansi lain.',
  'Pusat Data Daerah adalah fasilitas milik Pemerintah Daerah untuk menempatkan sistem elektronik beserta komponennya guna menyimpan, mengolah, dan memulihkan data.',
  'Jaringan Intra Pemerintah Daerah adalah jaringan tertutup yang menghubungkan simpul jaringan antar-Perangkat Daerah di lingkungan Pemerintah Daerah.',
  'Sistem Penghubung Layanan Pemerintah Daerah adalah perangkat integrasi yang menjadi sarana pertukaran data dan layanan SPBE antar-Perangkat Daerah serta dengan instansi lain.',
  'Tim Koordinasi SPBE adalah tim yang dibentuk oleh Gubernur untuk mengoordinasikan perencanaan, pelaksanaan, dan pengendalian SPBE di Daerah.',
  'Pengguna SPBE adalah instansi pemerintah, aparatur sipil negara, perseorangan, kelompok masyarakat, pelaku usaha, dan pihak lain yang memanfaatkan layanan SPBE.',
  'Audit Teknologi Informasi dan Komunikasi yang selanjutnya disebut Audit TIK adalah pemeriksaan yang dilakukan secara sistematis dan objektif terhadap aset teknologi informasi dan komunikasi untuk menilai kesesuaiannya dengan kriteria dan standar yang berlaku.',
]

const ketentuanUmum = () =>
  bab(
    'KETENTUAN UMUM',
    pasal(ayat('Dalam Peraturan Gubernur ini yang dimaksud dengan:', { jenis: 'angka', items: DEFINISI })),
    pasal(
      'Peraturan Gubernur ini dimaksudkan sebagai pedoman bagi Perangkat Daerah dalam merencanakan, membangun, mengoperasikan, dan mengevaluasi SPBE di lingkungan Pemerintah Daerah.',
      ayat('Peraturan Gubernur ini bertujuan untuk:', {
        items: [
          'mewujudkan penyelenggaraan pemerintahan Daerah yang efektif, transparan, dan akuntabel melalui pemanfaatan teknologi informasi dan komunikasi;',
          'memadukan layanan administrasi pemerintahan dan layanan publik berbasis elektronik di antara Perangkat Daerah;',
          'menjamin keamanan data, informasi, dan sistem elektronik yang dikelola oleh Pemerintah Daerah; dan',
          'meningkatkan mutu dan jangkauan layanan kepada Pengguna SPBE.',
        ],
      }),
    ),
    pasal(
      ayat('SPBE di Daerah diselenggarakan berdasarkan prinsip:', {
        items: ['efektivitas;', 'keterpaduan;', 'kesinambungan;', 'efisiensi;', 'akuntabilitas;', 'interoperabilitas; dan', 'keamanan.'],
      }),
      'Prinsip sebagaimana dimaksud pada ayat (1) diterapkan pada setiap tahap perencanaan, pembangunan, pengoperasian, dan evaluasi SPBE oleh Perangkat Daerah.',
    ),
    pasal(
      ayat('Ruang lingkup Peraturan Gubernur ini meliputi:', {
        items: [
          'Tata Kelola SPBE;',
          'Manajemen SPBE;',
          'Audit TIK;',
          'penyelenggara SPBE;',
          'pemantauan, evaluasi, dan pelaporan SPBE;',
          'koordinasi penyelenggaraan SPBE dengan pemerintah kabupaten/kota; dan',
          'pendanaan.',
        ],
      }),
    ),
  )

const tataKelola = () =>
  bab(
    'TATA KELOLA SPBE',
    bagian(
      'Umum',
      pasal(
        ayat('Tata Kelola SPBE di Daerah terdiri atas unsur:', {
          items: [
            'Arsitektur SPBE Pemerintah Daerah;',
            'Peta Rencana SPBE Pemerintah Daerah;',
            'rencana dan anggaran SPBE;',
            'Proses Bisnis;',
            'data dan informasi;',
            'infrastruktur SPBE;',
            'aplikasi SPBE;',
            'keamanan SPBE; dan',
            'layanan SPBE.',
          ],
        }),
        'Unsur Tata Kelola SPBE sebagaimana dimaksud pada ayat (1) disusun dan dilaksanakan selaras dengan arsitektur SPBE nasional serta kebijakan SPBE yang ditetapkan oleh Pemerintah Pusat.',
        'Dinas memfasilitasi Perangkat Daerah dalam menerapkan unsur Tata Kelola SPBE sebagaimana dimaksud pada ayat (1).',
      ),
    ),
    bagian(
      'Arsitektur dan Peta Rencana SPBE Daerah',
      pasal(
        'Gubernur menetapkan Arsitektur SPBE Pemerintah Daerah untuk jangka waktu 5 (lima) tahun.',
        'Arsitektur SPBE Pemerintah Daerah sebagaimana dimaksud pada ayat (1) disusun dengan berpedoman pada arsitektur SPBE nasional dan selaras dengan rencana pembangunan jangka menengah Daerah.',
        ayat('Arsitektur SPBE Pemerintah Daerah sebagaimana dimaksud pada ayat (1) memuat referensi dan arsitektur domain:', {
          items: ['Proses Bisnis;', 'data dan informasi;', 'infrastruktur SPBE;', 'aplikasi SPBE;', 'keamanan SPBE; dan', 'layanan SPBE.'],
        }),
        'Dinas melakukan reviu terhadap Arsitektur SPBE Pemerintah Daerah pada paruh masa berlakunya atau sewaktu-waktu dalam hal terjadi perubahan arsitektur SPBE nasional, rencana pembangunan jangka menengah Daerah, atau kebijakan strategis Daerah.',
      ),
      pasal(
        'Peta Rencana SPBE Pemerintah Daerah disusun berdasarkan Arsitektur SPBE Pemerintah Daerah sebagaimana dimaksud dalam Pasal 6 dan ditetapkan oleh Gubernur.',
        ayat('Peta Rencana SPBE Pemerintah Daerah sebagaimana dimaksud pada ayat (1) paling sedikit memuat:', {
          items: [
            'program dan kegiatan SPBE untuk setiap domain arsitektur;',
            'Perangkat Daerah penanggung jawab setiap program dan kegiatan;',
            'target capaian dan jadwal pelaksanaan; dan',
            'perkiraan kebutuhan anggaran.',
          ],
        }),
        'Dinas memutakhirkan Peta Rencana SPBE Pemerintah Daerah paling sedikit 1 (satu) kali dalam 1 (satu) tahun berdasarkan hasil pemantauan dan evaluasi pelaksanaan SPBE.',
      ),
    ),
    bagian(
      'Rencana dan Anggaran',
      pasal(
        'Perangkat Daerah menyusun rencana dan anggaran SPBE sesuai dengan Arsitektur SPBE Pemerintah Daerah dan Peta Rencana SPBE Pemerintah Daerah sebagaimana dimaksud dalam Pasal 6 dan Pasal 7.',
        'Setiap usulan belanja teknologi informasi dan komunikasi Perangkat Daerah wajib memperoleh rekomendasi teknis dari Dinas sebelum dimuat dalam rencana kerja dan anggaran Perangkat Daerah.',
        ayat('Rekomendasi teknis sebagaimana dimaksud pada ayat (2) diberikan dengan mempertimbangkan:', {
          items: [
            'kesesuaian usulan dengan Arsitektur SPBE Pemerintah Daerah dan Peta Rencana SPBE Pemerintah Daerah;',
            'ketersediaan Aplikasi Umum atau aplikasi sejenis yang telah digunakan di lingkungan Pemerintah Daerah;',
            'kemungkinan pemanfaatan bersama infrastruktur SPBE yang telah tersedia; dan',
            'kewajaran biaya dibandingkan dengan manfaat yang diharapkan.',
          ],
        }),
        'Dinas menyampaikan rekomendasi teknis sebagaimana dimaksud pada ayat (2) paling lama 14 (empat belas) hari kerja sejak usulan diterima secara lengkap.',
      ),
    ),
    bagian(
      'Proses Bisnis, Data, dan Informasi',
      pasal(
        'Setiap Perangkat Daerah memetakan Proses Bisnis sesuai dengan tugas dan fungsinya.',
        'Pemetaan Proses Bisnis sebagaimana dimaksud pada ayat (1) dilakukan dengan mengacu pada Arsitektur SPBE Pemerintah Daerah dan standar Proses Bisnis yang ditetapkan oleh instansi pusat pembina.',
        ayat('Hasil pemetaan Proses Bisnis sebagaimana dimaksud pada ayat (1) digunakan sebagai dasar untuk:', {
          items: [
            'menyederhanakan dan menyeragamkan Proses Bisnis yang sejenis antar-Perangkat Daerah;',
            'menentukan kebutuhan data, aplikasi SPBE, dan infrastruktur SPBE; dan',
            'mengintegrasikan layanan SPBE lintas Perangkat Daerah.',
          ],
        }),
      ),
      pasal(
        'Data dan informasi dalam penyelenggaraan SPBE dikelola sesuai dengan prinsip Satu Data Indonesia.',
        ayat('Pengelolaan data dan informasi sebagaimana dimaksud pada ayat (1) meliputi:', {
          items: [
            [
              'penetapan peran pengelola data yang terdiri atas:',
              {
                items: [
                  'walidata tingkat Daerah yang dilaksanakan oleh Dinas;',
                  'walidata pendukung pada setiap Perangkat Daerah; dan',
                  'produsen data pada setiap Perangkat Daerah;',
                ],
              },
            ],
            'penerapan standar data dan metadata baku sesuai dengan ketentuan peraturan perundang-undangan;',
            'penggunaan kode referensi dan data induk yang seragam; dan',
            'bagi pakai data antar-Perangkat Daerah dan dengan instansi lain melalui portal data Daerah.',
          ],
        }),
        'Data yang dihasilkan oleh Perangkat Daerah dibagipakaikan tanpa biaya kepada Perangkat Daerah lain, kecuali data yang dikecualikan sesuai dengan ketentuan peraturan perundang-undangan.',
      ),
    ),
    bagian(
      'Infrastruktur SPBE',
      paragraf(
        'Pusat Data',
        pasal(
          'Perangkat Daerah menempatkan sistem elektronik dan data yang dikelolanya pada pusat data nasional atau Pusat Data Daerah.',
          'Pusat Data Daerah sebagaimana dimaksud pada ayat (1) dikelola oleh Dinas dan wajib memenuhi standar pusat data sesuai dengan ketentuan peraturan perundang-undangan.',
          'Perangkat Daerah tidak dapat membangun atau menyewa pusat data tersendiri, kecuali atas persetujuan Sekretaris Daerah berdasarkan rekomendasi teknis dari Dinas.',
          'Pusat Data Daerah dilengkapi dengan fasilitas cadangan dan rencana pemulihan untuk menjamin keberlangsungan layanan SPBE.',
        ),
      ),
      paragraf(
        'Jaringan Intra',
        pasal(
          'Dinas menyelenggarakan Jaringan Intra Pemerintah Daerah yang menghubungkan seluruh Perangkat Daerah, termasuk unit pelaksana teknis daerah.',
          'Jaringan Intra Pemerintah Daerah sebagaimana dimaksud pada ayat (1) terhubung dengan jaringan intra pemerintah yang diselenggarakan secara nasional.',
          'Perangkat Daerah menggunakan Jaringan Intra Pemerintah Daerah dalam pertukaran data dan informasi antar-Perangkat Daerah.',
          'Penggunaan jaringan selain Jaringan Intra Pemerintah Daerah untuk pertukaran data dan informasi sebagaimana dimaksud pada ayat (3) hanya dapat dilakukan dengan pengamanan yang memenuhi standar keamanan SPBE.',
        ),
      ),
      paragraf(
        'Sistem Penghubung Layanan',
        pasal(
          'Dinas menyelenggarakan Sistem Penghubung Layanan Pemerintah Daerah sebagai sarana pertukaran data dan integrasi layanan SPBE melalui antarmuka pemrograman aplikasi yang terstandar.',
          'Setiap aplikasi SPBE yang melakukan pertukaran data dengan aplikasi lain wajib terhubung melalui Sistem Penghubung Layanan Pemerintah Daerah sebagaimana dimaksud pada ayat (1).',
          ayat(
            'Dinas menyusun dan memutakhirkan daftar layanan yang dipertukarkan melalui Sistem Penghubung Layanan Pemerintah Daerah yang memuat:',
            {
              items: [
                'nama layanan dan Perangkat Daerah penyedianya;',
                'jenis data yang dipertukarkan;',
                'Perangkat Daerah atau instansi penggunanya; dan',
                'ketentuan akses serta tingkat keamanan yang berlaku.',
              ],
            },
          ),
          'Sistem Penghubung Layanan Pemerintah Daerah terhubung dengan sistem penghubung layanan pemerintah yang diselenggarakan secara nasional.',
        ),
      ),
    ),
    bagian(
      'Aplikasi SPBE',
      pasal(
        'Aplikasi SPBE terdiri atas Aplikasi Umum dan Aplikasi Khusus.',
        'Perangkat Daerah wajib menggunakan Aplikasi Umum dalam hal Aplikasi Umum untuk kebutuhan yang sama telah ditetapkan oleh Pemerintah Pusat.',
        'Perangkat Daerah dilarang membangun atau mengembangkan aplikasi yang memiliki fungsi sama atau serupa dengan Aplikasi Umum atau dengan aplikasi lain yang telah digunakan di lingkungan Pemerintah Daerah.',
        'Dinas menyelenggarakan katalog aplikasi SPBE Daerah yang memuat seluruh aplikasi yang digunakan oleh Perangkat Daerah.',
      ),
      pasal(
        'Dalam hal kebutuhan Perangkat Daerah tidak dapat dipenuhi oleh Aplikasi Umum sebagaimana dimaksud dalam Pasal 14, Perangkat Daerah dapat membangun Aplikasi Khusus.',
        ayat('Pembangunan atau pengembangan Aplikasi Khusus sebagaimana dimaksud pada ayat (1) harus memenuhi persyaratan:', {
          items: [
            'sesuai dengan Arsitektur SPBE Pemerintah Daerah;',
            'memperoleh pertimbangan dari kementerian yang menyelenggarakan urusan pemerintahan di bidang aparatur negara sesuai dengan ketentuan peraturan perundang-undangan;',
            'kode sumber dan dokumentasi aplikasi diserahkan kepada Pemerintah Daerah;',
            'lulus uji keamanan sebelum dioperasikan; dan',
            'dapat diintegrasikan melalui Sistem Penghubung Layanan Pemerintah Daerah.',
          ],
        }),
        'Pembangunan Aplikasi Khusus oleh pihak ketiga dituangkan dalam perjanjian yang menjamin pengalihan hak atas kode sumber, dokumentasi, dan data kepada Pemerintah Daerah.',
        'Aplikasi Khusus yang telah memenuhi persyaratan sebagaimana dimaksud pada ayat (2) dicatat dalam katalog aplikasi SPBE Daerah sebagaimana dimaksud dalam Pasal 14 ayat (4).',
      ),
    ),
    bagian(
      'Keamanan SPBE',
      pasal(
        ayat('Keamanan SPBE mencakup penjaminan:', {
          items: [
            'kerahasiaan, yaitu terlindunginya data dan informasi dari akses oleh pihak yang tidak berhak;',
            'keutuhan, yaitu terjaganya data dan informasi dari perubahan yang tidak sah;',
            'ketersediaan, yaitu terjaminnya akses terhadap data, informasi, dan layanan SPBE oleh pihak yang berhak pada saat dibutuhkan;',
            'keaslian, yaitu terjaminnya kebenaran identitas pengirim serta sumber data dan informasi; dan',
            'kenirsangkalan, yaitu terjaminnya bukti bahwa suatu transaksi elektronik telah dilakukan oleh pihak yang bersangkutan.',
          ],
        }),
        ayat('Untuk menjamin keamanan SPBE sebagaimana dimaksud pada ayat (1), Dinas:', {
          items: [
            'menetapkan standar teknis dan prosedur keamanan informasi yang berlaku bagi seluruh Perangkat Daerah;',
            'menerapkan sertifikat elektronik dan tanda tangan elektronik dalam layanan SPBE;',
            'membentuk dan mengoperasikan tim tanggap insiden siber Daerah; dan',
            'berkoordinasi dengan lembaga pemerintah yang menyelenggarakan tugas pemerintahan di bidang keamanan siber dan sandi dalam penanganan insiden dan penguatan keamanan SPBE.',
          ],
        }),
        'Setiap Perangkat Daerah wajib melaporkan insiden keamanan SPBE kepada Dinas paling lama 24 (dua puluh empat) jam sejak insiden diketahui.',
      ),
    ),
    bagian(
      'Layanan SPBE',
      pasal(
        ayat('Layanan SPBE terdiri atas:', {
          items: ['layanan administrasi pemerintahan berbasis elektronik; dan', 'layanan publik berbasis elektronik.'],
        }),
        'Layanan administrasi pemerintahan berbasis elektronik sebagaimana dimaksud pada ayat (1) huruf a meliputi layanan yang mendukung perencanaan, penganggaran, keuangan, pengadaan barang/jasa, kepegawaian, kearsipan, pengelolaan barang milik daerah, pengawasan, akuntabilitas kinerja, dan kebutuhan internal Pemerintah Daerah lainnya.',
        'Layanan publik berbasis elektronik sebagaimana dimaksud pada ayat (1) huruf b meliputi layanan yang mendukung pelayanan kepada masyarakat sesuai dengan urusan pemerintahan yang menjadi kewenangan Daerah.',
        'Dinas menyusun katalog layanan SPBE dan melaksanakan survei kepuasan Pengguna SPBE paling sedikit 1 (satu) kali dalam 1 (satu) tahun.',
      ),
    ),
  )

const manajemen = () =>
  bab(
    'MANAJEMEN SPBE',
    pasal(
      ayat('Setiap Perangkat Daerah melaksanakan Manajemen SPBE yang meliputi:', {
        items: [
          'manajemen risiko;',
          'manajemen keamanan informasi;',
          'manajemen data;',
          'manajemen aset teknologi informasi dan komunikasi;',
          'manajemen sumber daya manusia;',
          'manajemen pengetahuan;',
          'manajemen perubahan; dan',
          'manajemen layanan SPBE.',
        ],
      }),
      'Manajemen SPBE sebagaimana dimaksud pada ayat (1) dilaksanakan secara terpadu dengan sistem pengendalian intern pemerintah di lingkungan Perangkat Daerah.',
      'Dinas mengoordinasikan pelaksanaan Manajemen SPBE sebagaimana dimaksud pada ayat (1) di seluruh Perangkat Daerah.',
    ),
    pasal(
      'Pelaksanaan Manajemen SPBE sebagaimana dimaksud dalam Pasal 18 berpedoman pada standar nasional Indonesia dan pedoman yang ditetapkan oleh instansi pusat pembina sesuai dengan ketentuan peraturan perundang-undangan.',
      'Dinas menyusun petunjuk teknis pelaksanaan Manajemen SPBE yang ditetapkan dengan Keputusan Kepala Dinas.',
      ayat('Petunjuk teknis sebagaimana dimaksud pada ayat (2) paling sedikit memuat:', {
        items: [
          'tata cara identifikasi, analisis, dan penanganan risiko SPBE;',
          'klasifikasi dan pengamanan aset informasi;',
          'pengelolaan siklus hidup data serta aset teknologi informasi dan komunikasi; dan',
          'pengembangan kompetensi sumber daya manusia SPBE.',
        ],
      }),
    ),
  )

const audit = () =>
  bab(
    'AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI',
    pasal(
      ayat('Audit TIK dilaksanakan terhadap:', { items: ['infrastruktur SPBE;', 'aplikasi SPBE; dan', 'keamanan SPBE.'] }),
      'Audit TIK sebagaimana dimaksud pada ayat (1) terdiri atas audit internal dan audit eksternal.',
      'Audit internal dilaksanakan oleh tim auditor internal yang ditunjuk oleh Sekretaris Daerah sebelum audit eksternal dilaksanakan oleh lembaga pelaksana Audit TIK yang terakreditasi.',
      'Audit TIK terhadap infrastruktur SPBE dan aplikasi SPBE dilaksanakan paling sedikit 1 (satu) kali dalam 2 (dua) tahun.',
      'Perangkat Daerah wajib menindaklanjuti rekomendasi hasil Audit TIK paling lama 60 (enam puluh) hari sejak laporan hasil audit diterima dan melaporkan tindak lanjutnya kepada Sekretaris Daerah melalui Dinas.',
    ),
  )

const penyelenggara = () =>
  bab(
    'PENYELENGGARA SPBE',
    pasal(
      'Sekretaris Daerah bertindak sebagai koordinator SPBE Daerah.',
      ayat('Koordinator SPBE Daerah sebagaimana dimaksud pada ayat (1) bertugas:', {
        items: [
          'mengarahkan penerapan Tata Kelola SPBE dan Manajemen SPBE di seluruh Perangkat Daerah;',
          'memastikan keterpaduan perencanaan dan penganggaran SPBE;',
          'menunjuk tim auditor internal sebagaimana dimaksud dalam Pasal 20 ayat (3); dan',
          'melaporkan perkembangan penyelenggaraan SPBE kepada Gubernur.',
        ],
      }),
    ),
    pasal(
      'Dalam melaksanakan tugas sebagaimana dimaksud dalam Pasal 21, koordinator SPBE Daerah dibantu oleh Tim Koordinasi SPBE.',
      ayat('Tim Koordinasi SPBE sebagaimana dimaksud pada ayat (1) terdiri atas:', {
        items: [
          'ketua, yang dijabat oleh Sekretaris Daerah;',
          'sekretaris, yang dijabat oleh kepala Dinas; dan',
          'anggota, yang terdiri atas pimpinan Perangkat Daerah yang membidangi perencanaan pembangunan, keuangan, kepegawaian, organisasi, dan pengawasan serta pimpinan Perangkat Daerah lain sesuai dengan kebutuhan.',
        ],
      }),
      'Sekretariat Tim Koordinasi SPBE berkedudukan di Dinas.',
      'Susunan keanggotaan dan uraian tugas Tim Koordinasi SPBE ditetapkan dengan Keputusan Gubernur.',
    ),
    pasal(
      ayat('Dinas dalam penyelenggaraan SPBE bertugas:', {
        items: [
          [
            'menyelenggarakan urusan aplikasi dan informatika yang meliputi:',
            {
              items: [
                'pembangunan, pengembangan, dan pengelolaan aplikasi SPBE yang dikelola secara terpusat;',
                'pengelolaan katalog aplikasi SPBE Daerah dan katalog layanan SPBE; dan',
                'pengelolaan nama domain dan subdomain Pemerintah Daerah;',
              ],
            },
          ],
          [
            'menyelenggarakan infrastruktur teknologi informasi dan komunikasi serta persandian yang meliputi:',
            {
              items: [
                'pengelolaan Pusat Data Daerah dan Jaringan Intra Pemerintah Daerah;',
                'pengelolaan Sistem Penghubung Layanan Pemerintah Daerah; dan',
                'pengamanan informasi dan penyelenggaraan sertifikat elektronik;',
              ],
            },
          ],
          'memberikan pendampingan teknis kepada Perangkat Daerah; dan',
          'menyusun laporan penyelenggaraan SPBE.',
        ],
      }),
      ayat('Setiap Perangkat Daerah dalam penyelenggaraan SPBE bertugas:', {
        items: [
          'bertindak sebagai pemilik Proses Bisnis dan produsen data sesuai dengan tugas dan fungsinya;',
          'menyusun rencana dan anggaran SPBE di lingkungannya;',
          'melaksanakan Manajemen SPBE sebagaimana dimaksud dalam Pasal 18; dan',
          'menunjuk pejabat penghubung SPBE yang berkoordinasi dengan Dinas.',
        ],
      }),
    ),
  )

const pemantauan = () =>
  bab(
    'PEMANTAUAN, EVALUASI, DAN PELAPORAN',
    pasal(
      'Pemerintah Daerah melaksanakan evaluasi mandiri SPBE setiap tahun dengan menggunakan instrumen evaluasi SPBE yang ditetapkan secara nasional.',
      'Evaluasi mandiri sebagaimana dimaksud pada ayat (1) dikoordinasikan oleh Dinas dengan melibatkan seluruh Perangkat Daerah yang memiliki data dukung.',
      ayat(
        'Berdasarkan hasil evaluasi mandiri sebagaimana dimaksud pada ayat (1), Dinas menyusun rencana aksi peningkatan kualitas SPBE yang memuat:',
        {
          items: ['indikator yang memerlukan perbaikan;', 'langkah perbaikan dan Perangkat Daerah penanggung jawabnya; dan', 'jadwal penyelesaian.'],
        },
      ),
      'Rencana aksi sebagaimana dimaksud pada ayat (3) menjadi bahan pemutakhiran Peta Rencana SPBE Pemerintah Daerah sebagaimana dimaksud dalam Pasal 7.',
    ),
    pasal(
      'Dinas menyampaikan laporan penyelenggaraan SPBE kepada Gubernur melalui Sekretaris Daerah paling sedikit 1 (satu) kali dalam 1 (satu) tahun.',
      ayat('Laporan sebagaimana dimaksud pada ayat (1) memuat:', {
        items: [
          'capaian pelaksanaan Peta Rencana SPBE Pemerintah Daerah;',
          'hasil evaluasi mandiri sebagaimana dimaksud dalam Pasal 24;',
          'hasil dan tindak lanjut Audit TIK; dan',
          'permasalahan yang dihadapi beserta rekomendasi perbaikan.',
        ],
      }),
      'Indeks SPBE Daerah hasil evaluasi yang dilaksanakan secara nasional diumumkan kepada masyarakat melalui laman resmi Pemerintah Daerah.',
    ),
  )

const koordinasi = () =>
  bab(
    'KOORDINASI DENGAN KABUPATEN/KOTA',
    pasal(
      'Pemerintah Daerah melaksanakan pembinaan dan koordinasi penyelenggaraan SPBE dengan pemerintah kabupaten/kota di wilayah Daerah.',
      ayat('Pembinaan dan koordinasi sebagaimana dimaksud pada ayat (1) dilaksanakan melalui:', {
        items: [
          'forum koordinasi SPBE provinsi dan kabupaten/kota;',
          'pendampingan penyusunan arsitektur dan peta rencana SPBE kabupaten/kota;',
          'pemanfaatan bersama Pusat Data Daerah, Jaringan Intra Pemerintah Daerah, dan Sistem Penghubung Layanan Pemerintah Daerah;',
          'pemanfaatan bersama aplikasi SPBE yang dikelola oleh Pemerintah Daerah; dan',
          'peningkatan kompetensi sumber daya manusia SPBE.',
        ],
      }),
      'Pemanfaatan bersama sebagaimana dimaksud pada ayat (2) huruf c dan huruf d dituangkan dalam perjanjian kerja sama sesuai dengan ketentuan peraturan perundang-undangan.',
    ),
  )

const pendanaan = () =>
  bab(
    'PENDANAAN',
    pasal(
      ayat('Pendanaan penyelenggaraan SPBE bersumber dari:', {
        items: [
          'anggaran pendapatan dan belanja Daerah; dan',
          'sumber lain yang sah dan tidak mengikat sesuai dengan ketentuan peraturan perundang-undangan.',
        ],
      }),
      'Pendanaan sebagaimana dimaksud pada ayat (1) dialokasikan sesuai dengan Peta Rencana SPBE Pemerintah Daerah dan kemampuan keuangan Daerah.',
    ),
  )

const peralihan = () =>
  bab(
    'KETENTUAN PERALIHAN',
    pasal(
      ayat('Pada saat Peraturan Gubernur ini mulai berlaku:', {
        items: [
          'Perangkat Daerah menyampaikan daftar aplikasi, sistem elektronik, dan infrastruktur teknologi informasi dan komunikasi yang digunakannya kepada Dinas paling lama 6 (enam) bulan;',
          'aplikasi, sistem elektronik, dan infrastruktur teknologi informasi dan komunikasi yang telah digunakan oleh Perangkat Daerah tetap dapat dioperasikan dan wajib disesuaikan dengan ketentuan dalam Peraturan Gubernur ini paling lama 2 (dua) tahun; dan',
          'pembangunan aplikasi yang telah dianggarkan tetap dapat dilaksanakan setelah memperoleh rekomendasi teknis sebagaimana dimaksud dalam Pasal 8 ayat (2).',
        ],
      }),
    ),
  )

const penutup = () =>
  bab(
    'KETENTUAN PENUTUP',
    pasal(
      'Pada saat Peraturan Gubernur ini mulai berlaku, Peraturan Gubernur Kalimantan Timur Nomor … Tahun … tentang … (Berita Daerah Provinsi Kalimantan Timur Tahun … Nomor …) dicabut dan dinyatakan tidak berlaku.',
    ),
    pasal('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.'),
  )

/** The seed draft: an original Rancangan Pergub Kaltim on SPBE (metadata `DEFAULT_META`), with fresh unit ids on every call. */
export function createRapergubSpbe(): Node {
  return regulation({
    nama: 'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
    menimbang: [
      'bahwa keterpaduan layanan administrasi dan layanan publik di lingkungan Pemerintah Provinsi Kalimantan Timur memerlukan pemanfaatan teknologi informasi dan komunikasi yang terencana, terkoordinasi, dan aman;',
      'bahwa penerapan tata kelola dan manajemen sistem pemerintahan berbasis elektronik oleh pemerintah daerah sebagaimana diatur dalam Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik perlu dijabarkan pelaksanaannya di tingkat provinsi;',
      'bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan Peraturan Gubernur tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik;',
    ],
    mengingat: [
      'Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;',
      'Undang-Undang Nomor 10 Tahun 2022 tentang Provinsi Kalimantan Timur (Lembaran Negara Republik Indonesia Tahun 2022 Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …);',
      'Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik Indonesia Tahun 2014 Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …) sebagaimana telah diubah beberapa kali terakhir dengan Undang-Undang Nomor … Tahun … tentang … (Lembaran Negara Republik Indonesia Tahun … Nomor …, Tambahan Lembaran Negara Republik Indonesia Nomor …);',
      'Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik (Lembaran Negara Republik Indonesia Tahun 2018 Nomor 182);',
      'Peraturan Presiden Nomor 132 Tahun 2022 tentang Arsitektur Sistem Pemerintahan Berbasis Elektronik Nasional (Lembaran Negara Republik Indonesia Tahun 2022 Nomor …);',
      'Peraturan Daerah Provinsi Kalimantan Timur Nomor … Tahun … tentang Pembentukan dan Susunan Perangkat Daerah (Lembaran Daerah Provinsi Kalimantan Timur Tahun … Nomor …, Tambahan Lembaran Daerah Provinsi Kalimantan Timur Nomor …);',
    ],
    batangTubuh: [
      ketentuanUmum(),
      tataKelola(),
      manajemen(),
      audit(),
      penyelenggara(),
      pemantauan(),
      koordinasi(),
      pendanaan(),
      peralihan(),
      penutup(),
    ],
  })
}
