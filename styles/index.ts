// The shared theme's styles, loaded by Slidev for every deck (the repo root is each deck's addon).
// Fonts come from npm (@fontsource), so presenting needs no network.
import '@fontsource/biz-udpgothic/400.css'
import '@fontsource/biz-udpgothic/700.css'
import '@fontsource/jetbrains-mono/400.css'
import '@fontsource/jetbrains-mono/700.css'
import './theme.css'
import './typography.css'
import './layouts.css'
