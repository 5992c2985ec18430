<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Drums</name>
    <message>
        <source>High Q</source>
        <translation>高 Q 音</translation>
    </message>
    <message>
        <source>Slap</source>
        <translation>拍击</translation>
    </message>
    <message>
        <source>Scratch Push</source>
        <translation>搓碟（推）</translation>
    </message>
    <message>
        <source>Scratch Pull</source>
        <translation>搓碟（拉）</translation>
    </message>
    <message>
        <source>Sticks</source>
        <translation>鼓棒</translation>
    </message>
    <message>
        <source>Square Click</source>
        <translation>方波咔嗒</translation>
    </message>
    <message>
        <source>Metronome</source>
        <translation>节拍器</translation>
    </message>
    <message>
        <source>Metronome Click</source>
        <translation>节拍器咔嗒声</translation>
    </message>
    <message>
        <source>Metro Bell</source>
        <translation>节拍器铃</translation>
    </message>
    <message>
        <source>Metronome Bell</source>
        <translation>节拍器铃声</translation>
    </message>
    <message>
        <source>Kick 2</source>
        <translation>底鼓 2</translation>
    </message>
    <message>
        <source>Acoustic Bass Drum</source>
        <translation>原声底鼓</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>底鼓</translation>
    </message>
    <message>
        <source>Bass Drum 1</source>
        <translation>底鼓 1</translation>
    </message>
    <message>
        <source>Side Stick</source>
        <translation>鼓边</translation>
    </message>
    <message>
        <source>Snare</source>
        <translation>军鼓</translation>
    </message>
    <message>
        <source>Acoustic Snare</source>
        <translation>原声军鼓</translation>
    </message>
    <message>
        <source>Clap</source>
        <translation>拍手</translation>
    </message>
    <message>
        <source>Hand Clap</source>
        <translation>拍手</translation>
    </message>
    <message>
        <source>Snare 2</source>
        <translation>军鼓 2</translation>
    </message>
    <message>
        <source>Electric Snare</source>
        <translation>电子军鼓</translation>
    </message>
    <message>
        <source>Low Floor Tom</source>
        <translation>低落地通鼓</translation>
    </message>
    <message>
        <source>Closed Hi-hat</source>
        <translation>闭镲</translation>
    </message>
    <message>
        <source>Floor Tom</source>
        <translation>落地通鼓</translation>
    </message>
    <message>
        <source>High Floor Tom</source>
        <translation>高落地通鼓</translation>
    </message>
    <message>
        <source>Pedal Hi-hat</source>
        <translation>踩镲</translation>
    </message>
    <message>
        <source>Low Tom</source>
        <translation>低通鼓</translation>
    </message>
    <message>
        <source>Open Hi-hat</source>
        <translation>开镲</translation>
    </message>
    <message>
        <source>Low-Mid Tom</source>
        <translation>中低通鼓</translation>
    </message>
    <message>
        <source>Hi-Mid Tom</source>
        <translation>中高通鼓</translation>
    </message>
    <message>
        <source>Crash</source>
        <translation>强音镲</translation>
    </message>
    <message>
        <source>Crash Cymbal 1</source>
        <translation>强音镲 1</translation>
    </message>
    <message>
        <source>High Tom</source>
        <translation>高通鼓</translation>
    </message>
    <message>
        <source>Ride</source>
        <translation>叮叮镲</translation>
    </message>
    <message>
        <source>Ride Cymbal 1</source>
        <translation>叮叮镲 1</translation>
    </message>
    <message>
        <source>China</source>
        <translation>中国镲</translation>
    </message>
    <message>
        <source>Chinese Cymbal</source>
        <translation>中国镲</translation>
    </message>
    <message>
        <source>Ride Bell</source>
        <translation>叮叮镲镲帽</translation>
    </message>
    <message>
        <source>Tambourine</source>
        <translation>铃鼓</translation>
    </message>
    <message>
        <source>Splash</source>
        <translation>水镲</translation>
    </message>
    <message>
        <source>Splash Cymbal</source>
        <translation>水镲</translation>
    </message>
    <message>
        <source>Cowbell</source>
        <translation>牛铃</translation>
    </message>
    <message>
        <source>Crash 2</source>
        <translation>强音镲 2</translation>
    </message>
    <message>
        <source>Crash Cymbal 2</source>
        <translation>强音镲 2</translation>
    </message>
    <message>
        <source>Vibraslap</source>
        <translation>振动梆</translation>
    </message>
    <message>
        <source>Ride 2</source>
        <translation>叮叮镲 2</translation>
    </message>
    <message>
        <source>Ride Cymbal 2</source>
        <translation>叮叮镲 2</translation>
    </message>
    <message>
        <source>High Bongo</source>
        <translation>高邦戈鼓</translation>
    </message>
    <message>
        <source>Low Bongo</source>
        <translation>低邦戈鼓</translation>
    </message>
    <message>
        <source>Mute Conga</source>
        <translation>闷音康加鼓</translation>
    </message>
    <message>
        <source>Mute High Conga</source>
        <translation>闷音高康加鼓</translation>
    </message>
    <message>
        <source>High Conga</source>
        <translation>高康加鼓</translation>
    </message>
    <message>
        <source>Open High Conga</source>
        <translation>开音高康加鼓</translation>
    </message>
    <message>
        <source>Low Conga</source>
        <translation>低康加鼓</translation>
    </message>
    <message>
        <source>High Timbale</source>
        <translation>高天巴鼓</translation>
    </message>
    <message>
        <source>Low Timbale</source>
        <translation>低天巴鼓</translation>
    </message>
    <message>
        <source>High Agogo</source>
        <translation>高阿哥哥铃</translation>
    </message>
    <message>
        <source>Low Agogo</source>
        <translation>低阿哥哥铃</translation>
    </message>
    <message>
        <source>Cabasa</source>
        <translation>卡巴萨</translation>
    </message>
    <message>
        <source>Maracas</source>
        <translation>沙锤</translation>
    </message>
    <message>
        <source>Whistle</source>
        <translation>哨子</translation>
    </message>
    <message>
        <source>Short Whistle</source>
        <translation>短哨</translation>
    </message>
    <message>
        <source>Long Whistle</source>
        <translation>长哨</translation>
    </message>
    <message>
        <source>Guiro</source>
        <translation>刮瓜</translation>
    </message>
    <message>
        <source>Short Guiro</source>
        <translation>短刮瓜</translation>
    </message>
    <message>
        <source>Long Guiro</source>
        <translation>长刮瓜</translation>
    </message>
    <message>
        <source>Claves</source>
        <translation>响棒</translation>
    </message>
    <message>
        <source>High Block</source>
        <translation>高木鱼</translation>
    </message>
    <message>
        <source>High Wood Block</source>
        <translation>高音木鱼</translation>
    </message>
    <message>
        <source>Low Block</source>
        <translation>低木鱼</translation>
    </message>
    <message>
        <source>Low Wood Block</source>
        <translation>低音木鱼</translation>
    </message>
    <message>
        <source>Mute Cuica</source>
        <translation>闷音库伊卡</translation>
    </message>
    <message>
        <source>Open Cuica</source>
        <translation>开音库伊卡</translation>
    </message>
    <message>
        <source>Mute Triangle</source>
        <translation>闷音三角铁</translation>
    </message>
    <message>
        <source>Open Triangle</source>
        <translation>开音三角铁</translation>
    </message>
    <message>
        <source>Shaker</source>
        <translation>沙筒</translation>
    </message>
    <message>
        <source>Jingle Bell</source>
        <translation>串铃</translation>
    </message>
    <message>
        <source>Bell Tree</source>
        <translation>音树</translation>
    </message>
    <message>
        <source>Castanets</source>
        <translation>响板</translation>
    </message>
    <message>
        <source>Mute Surdo</source>
        <translation>闷音苏尔多鼓</translation>
    </message>
    <message>
        <source>Open Surdo</source>
        <translation>开音苏尔多鼓</translation>
    </message>
    <message>
        <source>Key {key}: no General MIDI drum</source>
        <translation>键 {key}：没有对应的 GM 鼓音色</translation>
    </message>
    <message>
        <source>{name} (key {key})</source>
        <translation>{name}（键 {key}）</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <source>Songloom project (*.songloom)</source>
        <translation>Songloom 工程 (*.songloom)</translation>
    </message>
    <message>
        <source>Songs (*.songloom *.mid *.midi *.kar);;Songloom project (*.songloom);;MIDI / karaoke (*.mid *.midi *.kar)</source>
        <translation>歌曲 (*.songloom *.mid *.midi *.kar);;Songloom 工程 (*.songloom);;MIDI / 卡拉 OK (*.mid *.midi *.kar)</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation>关闭前要保存对“{name}”的更改吗？</translation>
    </message>
    <message>
        <source> (never saved)</source>
        <translation>（从未保存）</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>Songloom did not close properly last time. Recover your unsaved work?</source>
        <translation>Songloom 上次没有正常退出。要恢复未保存的工作吗？</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Which song?</source>
        <translation>恢复哪首歌？</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Open song</source>
        <translation>打开歌曲</translation>
    </message>
    <message>
        <source>Import MIDI or karaoke file</source>
        <translation>导入 MIDI 或卡拉 OK 文件</translation>
    </message>
    <message>
        <source>MIDI / karaoke (*.mid *.midi *.kar)</source>
        <translation>MIDI / 卡拉 OK (*.mid *.midi *.kar)</translation>
    </message>
    <message>
        <source>Cannot open file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>{name} could not be opened.

{exc}</source>
        <translation>无法打开 {name}。

{exc}</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>Imported {name}: Save As to keep it as a Songloom project</source>
        <translation>已导入 {name}：用“另存为”把它保存为 Songloom 工程</translation>
    </message>
    <message>
        <source>Save song as</source>
        <translation>歌曲另存为</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>已保存 {name}</translation>
    </message>
    <message>
        <source>Export karaoke file</source>
        <translation>导出卡拉 OK 文件</translation>
    </message>
    <message>
        <source>Export MIDI file</source>
        <translation>导出 MIDI 文件</translation>
    </message>
    <message>
        <source>Karaoke MIDI (*.kar)</source>
        <translation>卡拉 OK MIDI (*.kar)</translation>
    </message>
    <message>
        <source>MIDI file (*.mid *.midi)</source>
        <translation>MIDI 文件 (*.mid *.midi)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported {name}{note}</source>
        <translation>已导出 {name}{note}</translation>
    </message>
    <message>
        <source>Export audio</source>
        <translation>导出音频</translation>
    </message>
    <message>
        <source>WAV audio (*.wav);;FLAC (*.flac)</source>
        <translation>WAV 音频 (*.wav);;FLAC (*.flac)</translation>
    </message>
    <message>
        <source>Rendering {name}: {f:.0%}</source>
        <translation>正在渲染 {name}：{f:.0%}</translation>
    </message>
    <message>
        <source>Exported {name}: {duration_s:.1f} s of audio in {render_s:.1f} s</source>
        <translation>已导出 {name}：{duration_s:.1f} 秒音频，用时 {render_s:.1f} 秒</translation>
    </message>
    <message>
        <source>Cannot export audio</source>
        <translation>无法导出音频</translation>
    </message>
    <message>
        <source>Autosave failed: {exc}</source>
        <translation>自动保存失败：{exc}</translation>
    </message>
    <message>
        <source>Autosaved at {time}</source>
        <translation>已于 {time} 自动保存</translation>
    </message>
    <message>
        <source>Cannot recover</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Recovered “{title}”: save it to keep it</source>
        <translation>已恢复“{title}”：请保存以免丢失</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import MIDI / KAR…</source>
        <translation>导入 MIDI / KAR(&amp;I)…</translation>
    </message>
    <message>
        <source>Export &amp;MIDI…</source>
        <translation>导出 MIDI(&amp;M)…</translation>
    </message>
    <message>
        <source>Export &amp;KAR (karaoke)…</source>
        <translation>导出 KAR 卡拉 OK(&amp;K)…</translation>
    </message>
    <message>
        <source>Export &amp;WAV…</source>
        <translation>导出 WAV(&amp;W)…</translation>
    </message>
    <message>
        <source>Copy Song as MIDI File</source>
        <translation>将歌曲复制为 MIDI 文件</translation>
    </message>
    <message>
        <source>Show Exports in File Manager</source>
        <translation>在文件管理器中显示导出文件</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Drag the whole song into your DAW as a MIDI file (right-click for more)</source>
        <translation>把整首歌作为 MIDI 文件拖进你的宿主软件（DAW）（右键查看更多）</translation>
    </message>
    <message>
        <source>Drag this track into your DAW as a MIDI file (right-click for more)</source>
        <translation>把这条轨道作为 MIDI 文件拖进你的宿主软件（DAW）（右键查看更多）</translation>
    </message>
    <message>
        <source>Could not write the MIDI file: {exc}</source>
        <translation>无法写入 MIDI 文件：{exc}</translation>
    </message>
    <message>
        <source>Copy MIDI file</source>
        <translation>复制 MIDI 文件</translation>
    </message>
    <message>
        <source>Show in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Copied {name}: paste it into your DAW</source>
        <translation>已复制 {name}：粘贴到你的宿主软件（DAW）即可</translation>
    </message>
</context>
<context>
    <name>Generate</name>
    <message>
        <source>auto (from Bars)</source>
        <translation>自动（按小节数）</translation>
    </message>
    <message>
        <source>custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>verse-chorus</source>
        <translation>主歌-副歌</translation>
    </message>
    <message>
        <source>verse-chorus-bridge</source>
        <translation>主歌-副歌-桥段</translation>
    </message>
    <message>
        <source>lieder</source>
        <translation>艺术歌曲</translation>
    </message>
    <message>
        <source>chorale</source>
        <translation>众赞歌</translation>
    </message>
    <message>
        <source>pop</source>
        <translation>流行</translation>
    </message>
    <message>
        <source>rock</source>
        <translation>摇滚</translation>
    </message>
    <message>
        <source>ballad</source>
        <translation>抒情</translation>
    </message>
    <message>
        <source>electronic</source>
        <translation>电子</translation>
    </message>
    <message>
        <source>folk</source>
        <translation>民谣</translation>
    </message>
    <message>
        <source>free</source>
        <translation>自由</translation>
    </message>
    <message>
        <source>major</source>
        <translation>大调</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>小调</translation>
    </message>
    <message>
        <source>melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>harmony</source>
        <translation>和声</translation>
    </message>
    <message>
        <source>bass</source>
        <translation>贝斯</translation>
    </message>
    <message>
        <source>drums</source>
        <translation>鼓</translation>
    </message>
    <message>
        <source>modern</source>
        <translation>现代</translation>
    </message>
    <message>
        <source>poetic</source>
        <translation>诗意</translation>
    </message>
    <message>
        <source>voice and piano songs: flute melody, piano, acoustic bass</source>
        <translation>人声与钢琴的歌曲：长笛旋律、钢琴、原声贝斯</translation>
    </message>
    <message>
        <source>four-part Bach chorales: choir and organ</source>
        <translation>巴赫四部众赞歌：合唱与管风琴</translation>
    </message>
    <message>
        <source>synth voice, electric piano comping, finger bass, standard kit</source>
        <translation>合成器人声、电钢琴伴奏、指弹贝斯、标准鼓组</translation>
    </message>
    <message>
        <source>distortion lead, overdriven guitar chords, pick bass in eighths, power kit</source>
        <translation>失真主音、过载吉他和弦、拨片贝斯八分音符、力量鼓组</translation>
    </message>
    <message>
        <source>tenor sax, piano arpeggios, held bass, brushes</source>
        <translation>次中音萨克斯、钢琴琶音、长音贝斯、鼓刷</translation>
    </message>
    <message>
        <source>saw lead, warm pad, synth bass pumping off-beats, four on the floor</source>
        <translation>锯齿波主音、温暖铺底、反拍律动的合成贝斯、四四拍底鼓（four on the floor）</translation>
    </message>
    <message>
        <source>fiddle, strummed steel-string guitar, acoustic bass root-fifth, brushes</source>
        <translation>小提琴、扫弦钢弦吉他、原声贝斯根音五度、鼓刷</translation>
    </message>
    <message>
        <source>Bundled model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <source>The same seed and options give the same result</source>
        <translation>相同的种子和选项会得到相同的结果</translation>
    </message>
    <message>
        <source>Roll</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Roll a new random seed</source>
        <translation>随机生成一个新种子</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Keep this seed for the next generation (else a new one is rolled)</source>
        <translation>下次生成沿用这个种子（否则重新随机）</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>How many bars to generate (1-512)</source>
        <translation>要生成多少小节（1-512）</translation>
    </message>
    <message>
        <source>Every note is in this key unless chromatic notes are allowed</source>
        <translation>除非允许调外音，所有音符都在这个调内</translation>
    </message>
    <message>
        <source>{name}: {band}; {lo}-{hi} BPM</source>
        <translation>{name}：{band}；{lo}-{hi} BPM</translation>
    </message>
    <message>
        <source>The band: instruments, how harmony and bass are played, and drums for pop, rock, ballad, electronic and folk</source>
        <translation>乐队编制：乐器、和声与贝斯的演奏方式，以及流行、摇滚、抒情、电子和民谣风格的鼓</translation>
    </message>
    <message>
        <source>Tempo in beats per minute</source>
        <translation>速度，单位为每分钟拍数（BPM）</translation>
    </message>
    <message>
        <source>Humanize drums</source>
        <translation>鼓点人性化</translation>
    </message>
    <message>
        <source>Play each drum hit a few ms and a little louder or softer off the grid, the same way for the same seed</source>
        <translation>让每一击鼓稍微偏离网格几毫秒、力度略有轻重；相同种子的效果相同</translation>
    </message>
    <message>
        <source>The song&apos;s sections: automatic for the bars asked, a preset, or your own sequence (custom)</source>
        <translation>歌曲段落：按所选小节数自动安排、使用预设，或自己排列（自定义）</translation>
    </message>
    <message>
        <source>intro verse chorus verse chorus outro</source>
        <translation>例如：intro verse chorus verse chorus outro</translation>
    </message>
    <message>
        <source>Sections in order: intro, verse, pre-chorus, chorus, bridge, outro, A, B, C; a length as verse:16</source>
        <translation>按顺序填写段落：intro（前奏）、verse（主歌）、pre-chorus（导歌）、chorus（副歌）、bridge（桥段）、outro（尾奏）、A、B、C；长度写成 verse:16</translation>
    </message>
    <message>
        <source>from the style, or e.g. I vi IV V</source>
        <translation>沿用风格的和弦，或如 I vi IV V</translation>
    </message>
    <message>
        <source>The progression, as chord names (C Am F G) or Roman numerals (I vi IV V); bars with | (C Am | F G). Empty: the style&apos;s own</source>
        <translation>和弦进行，用和弦名（C Am F G）或罗马数字级数（I vi IV V）；用 | 分隔小节（C Am | F G）。留空：使用风格自带的进行</translation>
    </message>
    <message>
        <source>Lower: safer, sparser; higher: busier</source>
        <translation>越低越稳妥、越稀疏；越高越繁密</translation>
    </message>
    <message>
        <source>How many takes to generate, to audition A/B</source>
        <translation>生成几个版本，用于 A/B 试听</translation>
    </message>
    <message>
        <source>Allow notes outside the key</source>
        <translation>允许调外音</translation>
    </message>
    <message>
        <source>Generate music</source>
        <translation>生成音乐</translation>
    </message>
    <message>
        <source>Follow the chords</source>
        <translation>跟随和弦</translation>
    </message>
    <message>
        <source>Write lyrics</source>
        <translation>写歌词</translation>
    </message>
    <message>
        <source>Rewrite line</source>
        <translation>重写一行</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Scoring lyrics</source>
        <translation>歌词评分</translation>
    </message>
    <message>
        <source>Sound distance</source>
        <translation>声音距离</translation>
    </message>
    <message>
        <source>A generation is already running: wait or press Cancel</source>
        <translation>已有生成任务在运行：请等待或按“取消”</translation>
    </message>
    <message>
        <source>Cancelled — the song is unchanged</source>
        <translation>已取消 —— 歌曲没有改动</translation>
    </message>
    <message>
        <source>{job}: done</source>
        <translation>{job}：完成</translation>
    </message>
    <message>
        <source>the GPU ran out of memory</source>
        <translation>GPU 显存不足</translation>
    </message>
    <message>
        <source>Models unavailable: {text}</source>
        <translation>模型不可用：{text}</translation>
    </message>
    <message>
        <source>Lyric tools unavailable: {exc}</source>
        <translation>歌词工具不可用：{exc}</translation>
    </message>
    <message>
        <source>, take {n}/{count}</source>
        <translation>，版本 {n}/{count}</translation>
    </message>
    <message>
        <source>Generate music (seed {seed})</source>
        <translation>生成音乐（种子 {seed}）</translation>
    </message>
    <message>
        <source>No sound output here: the selected take is drawn over the song in the piano roll instead</source>
        <translation>这里没有音频输出：所选版本改为叠加显示在钢琴卷帘中</translation>
    </message>
    <message>
        <source>Listening to take {n} (the song is unchanged until you keep it)</source>
        <translation>正在试听版本 {n}（保留之前歌曲不会改变）</translation>
    </message>
    <message>
        <source>Nothing to drum to yet: generate some music first</source>
        <translation>还没有可以配鼓的音乐：请先生成一些音乐</translation>
    </message>
    <message>
        <source>This song has no {role} track to regenerate</source>
        <translation>这首歌没有可重新生成的{role}轨</translation>
    </message>
    <message>
        <source>Regenerate {role}</source>
        <translation>重新生成{role}</translation>
    </message>
    <message>
        <source>Regenerate {role} (seed {seed})</source>
        <translation>重新生成{role}（种子 {seed}）</translation>
    </message>
    <message>
        <source>Regenerate {roles} to follow the chords</source>
        <translation>重新生成{roles}以跟随和弦</translation>
    </message>
    <message>
        <source> and </source>
        <translation>和</translation>
    </message>
    <message>
        <source>Nothing to continue yet: generate some music first</source>
        <translation>还没有可以续写的音乐：请先生成一些音乐</translation>
    </message>
    <message>
        <source>Continue {bars} bars</source>
        <translation>续写 {bars} 小节</translation>
    </message>
    <message>
        <source>Write lyrics (seed {seed})</source>
        <translation>写歌词（种子 {seed}）</translation>
    </message>
    <message>
        <source>Bring back #{number}</source>
        <translation>恢复 #{number}</translation>
    </message>
    <message>
        <source>cannot read the reference text: {exc}</source>
        <translation>无法读取参考文本：{exc}</translation>
    </message>
    <message>
        <source>Scoring…</source>
        <translation>正在评分…</translation>
    </message>
    <message>
        <source>Nothing to score yet</source>
        <translation>还没有可评分的内容</translation>
    </message>
    <message>
        <source>Scores are up to date</source>
        <translation>评分已是最新</translation>
    </message>
    <message>
        <source>The song is empty: nothing to compare yet</source>
        <translation>歌曲是空的：还没有可比较的内容</translation>
    </message>
    <message>
        <source>Rendering and comparing the sound…</source>
        <translation>正在渲染并比较声音…</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Keep the other tracks, write this one anew</source>
        <translation>保留其他轨道，只重写这一轨</translation>
    </message>
    <message>
        <source>Bars to append after the song&apos;s end</source>
        <translation>在歌曲结尾后追加的小节数</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Append bars that follow on from the existing music</source>
        <translation>接着现有音乐追加小节</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>小节</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调性</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>曲式</translation>
    </message>
    <message>
        <source>Chords</source>
        <translation>和弦</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>随机度</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>轨道</translation>
    </message>
    <message>
        <source>Add bars</source>
        <translation>追加小节</translation>
    </message>
    <message>
        <source>type the custom form&apos;s sections, e.g. &quot;intro verse chorus outro&quot;</source>
        <translation>请填写自定义曲式的段落，例如 &quot;intro verse chorus outro&quot;</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>a theme or title (empty: free writing)</source>
        <translation>主题或标题（留空：自由创作）</translation>
    </message>
    <message>
        <source>Number of lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>From the melody</source>
        <translation>按旋律</translation>
    </message>
    <message>
        <source>One line per melody phrase, as many syllables as the phrase has notes</source>
        <translation>每个旋律乐句一行，音节数等于乐句的音符数</translation>
    </message>
    <message>
        <source>Syllables per line</source>
        <translation>每行音节数</translation>
    </message>
    <message>
        <source>Lines beyond the melody&apos;s phrases are not sung (not aligned to notes, not in the MIDI export)</source>
        <translation>超出旋律乐句的行不会被演唱（不对齐音符，也不写入导出的 MIDI）</translation>
    </message>
    <message>
        <source>Lower: plainer words; higher: bolder</source>
        <translation>越低用词越平实；越高越大胆</translation>
    </message>
    <message>
        <source>modern: today&apos;s words only; poetic: allows thee, thou, o&apos;er</source>
        <translation>现代：只用当代英语词汇；诗意：允许 thee、thou、o&apos;er 等古雅用词</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>The bundled model, or any GPT-2 model folder on this computer</source>
        <translation>内置模型，或本机上的任意 GPT-2 模型文件夹</translation>
    </message>
    <message>
        <source>Generate lyrics</source>
        <translation>生成歌词</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Syllables</source>
        <translation>音节</translation>
    </message>
    <message>
        <source>Rhyme</source>
        <translation>押韵</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>用词</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>试听</translation>
    </message>
    <message>
        <source>Play the selected take without changing the song</source>
        <translation>播放所选版本，不改动歌曲</translation>
    </message>
    <message>
        <source>Keep this take</source>
        <translation>保留此版本</translation>
    </message>
    <message>
        <source>Put the selected take in the song (undoable)</source>
        <translation>把所选版本放进歌曲（可撤销）</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Every generation with its options and seed</source>
        <translation>每次生成及其选项和种子</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Replace the song with this earlier result (undoable)</source>
        <translation>用这个较早的结果替换歌曲（可撤销）</translation>
    </message>
    <message>
        <source>GPT-2 model folder</source>
        <translation>GPT-2 模型文件夹</translation>
    </message>
    <message>
        <source>of 1 phrase</source>
        <translation>共 1 个乐句</translation>
    </message>
    <message>
        <source>of {count} phrases</source>
        <translation>共 {count} 个乐句</translation>
    </message>
    <message>
        <source>no melody yet</source>
        <translation>还没有旋律</translation>
    </message>
    <message>
        <source>The melody has {count} phrases: lines beyond them are not sung (not aligned to notes, not in the MIDI export)</source>
        <translation>旋律有 {count} 个乐句：超出的行不会被演唱（不对齐音符，也不写入导出的 MIDI）</translation>
    </message>
    <message>
        <source>music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>variation</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>line</source>
        <translation>单行</translation>
    </message>
    <message>
        <source>{bars} bars</source>
        <translation>{bars} 小节</translation>
    </message>
    <message>
        <source>the form&apos;s bars</source>
        <translation>小节数随曲式</translation>
    </message>
    <message>
        <source>, form {form}</source>
        <translation>，曲式 {form}</translation>
    </message>
    <message>
        <source>, chords {chords}</source>
        <translation>，和弦 {chords}</translation>
    </message>
    <message>
        <source>{length}, {key}, {style}{form}{chords}, {tempo:g} BPM, seed {seed}, temp {temp:g}</source>
        <translation>{length}，{key}，{style}{form}{chords}，{tempo:g} BPM，种子 {seed}，随机度 {temp:g}</translation>
    </message>
    <message>
        <source>{theme}, Chinese, {pattern}, {rhyme}{tones}, seed {seed}</source>
        <translation>{theme}，中文，{pattern}，{rhyme}{tones}，种子 {seed}</translation>
    </message>
    <message>
        <source>from the melody</source>
        <translation>按旋律</translation>
    </message>
    <message>
        <source>rhymed</source>
        <translation>押韵</translation>
    </message>
    <message>
        <source>unrhymed</source>
        <translation>不押韵</translation>
    </message>
    <message>
        <source>, tones</source>
        <translation>，平仄</translation>
    </message>
    <message>
        <source>melody syllables</source>
        <translation>音节数随旋律</translation>
    </message>
    <message>
        <source>{n} syllables</source>
        <translation>每行 {n} 个音节</translation>
    </message>
    <message>
        <source>, poetic</source>
        <translation>，诗意</translation>
    </message>
    <message>
        <source>{theme}, {lines} lines, {syllables}, {rhyme}{poetic}, seed {seed}</source>
        <translation>{theme}，{lines} 行，{syllables}，{rhyme}{poetic}，种子 {seed}</translation>
    </message>
    <message>
        <source>Could not restore the saved generation settings (unreadable)</source>
        <translation>无法恢复已保存的生成设置（无法读取）</translation>
    </message>
    <message>
        <source>music settings</source>
        <translation>音乐设置</translation>
    </message>
    <message>
        <source>1 history entry</source>
        <translation>1 条历史记录</translation>
    </message>
    <message>
        <source>{n} history entries</source>
        <translation>{n} 条历史记录</translation>
    </message>
    <message>
        <source>Could not restore {what}</source>
        <translation>无法恢复{what}</translation>
    </message>
    <message>
        <source> — in the song</source>
        <translation> —— 已在歌曲中</translation>
    </message>
    <message>
        <source>Take {n} (#{number})</source>
        <translation>版本 {n}（#{number}）</translation>
    </message>
    <message>
        <source>Listening to take {n}</source>
        <translation>正在试听版本 {n}</translation>
    </message>
    <message>
        <source>Keep take {n}</source>
        <translation>保留版本 {n}</translation>
    </message>
    <message>
        <source>Take {n}</source>
        <translation>版本 {n}</translation>
    </message>
    <message>
        <source>; {n} line(s) go beyond its phrases</source>
        <translation>；有 {n} 行超出了它的乐句</translation>
    </message>
    <message>
        <source>Kept take {n}: your lyrics are re-aligned to its melody</source>
        <translation>已保留版本 {n}：你的歌词已重新对齐到它的旋律</translation>
    </message>
    <message>
        <source>Loading the sound and model libraries…</source>
        <translation>正在加载音频和模型库…</translation>
    </message>
    <message>
        <source>Loading the lyrics model library…</source>
        <translation>正在加载歌词模型库…</translation>
    </message>
    <message>
        <source>Loading the pronouncing dictionary…</source>
        <translation>正在加载发音词典…</translation>
    </message>
    <message>
        <source>Ready ({device})</source>
        <translation>就绪（{device}）</translation>
    </message>
    <message>
        <source>Loading the music model…</source>
        <translation>正在加载音乐模型…</translation>
    </message>
    <message>
        <source>Loading the lyrics model…</source>
        <translation>正在加载歌词模型…</translation>
    </message>
    <message>
        <source>Scoring the music…</source>
        <translation>正在为音乐评分…</translation>
    </message>
    <message>
        <source>No training-data reference ({exc})</source>
        <translation>没有训练数据参考值（{exc}）</translation>
    </message>
    <message>
        <source>Originality unavailable ({exc})</source>
        <translation>原创度不可用（{exc}）</translation>
    </message>
    <message>
        <source>Scoring the lyrics…</source>
        <translation>正在为歌词评分…</translation>
    </message>
    <message>
        <source>Rendering the song…</source>
        <translation>正在渲染歌曲…</translation>
    </message>
    <message>
        <source>Measuring the distance…</source>
        <translation>正在测量距离…</translation>
    </message>
    <message>
        <source>{job}: not enough memory for this job</source>
        <translation>{job}：内存不足，无法完成此任务</translation>
    </message>
    <message>
        <source>{job} failed unexpectedly ({error})</source>
        <translation>{job}意外失败（{error}）</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese (中文)</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>The language of the lyrics: Chinese is written one character per note, to a tune pattern (词牌) or to the melody&apos;s phrases</source>
        <translation>歌词的语言：中文按一字一音填写，可依词牌，也可依旋律的乐句</translation>
    </message>
    <message>
        <source>A tune pattern (词牌) sets how many lines and characters, and which lines rhyme; type to search. From the melody: one line per phrase, one character per note</source>
        <translation>词牌决定句数、每句字数和押韵的句子；可输入搜索。按旋律：每个乐句一句，每个音符一字</translation>
    </message>
    <message>
        <source>The pattern&apos;s rhyming lines (from the melody: the even lines) end on characters of one rhyme group (中华新韵, by pinyin final)</source>
        <translation>词牌的韵句（按旋律时为偶数句）句末字同属一个韵部（中华新韵，按拼音韵母）</translation>
    </message>
    <message>
        <source>Tones (平仄)</source>
        <translation>平仄</translation>
    </message>
    <message>
        <source>Follow the tune pattern&apos;s level and oblique tones (平仄) where the pattern is firm (a pattern only)</source>
        <translation>在词牌平仄固定的位置遵循其平仄（仅限选择词牌时）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Tune pattern</source>
        <translation>词牌</translation>
    </message>
    <message>
        <source>Unknown tune pattern &quot;{name}&quot;; close ones: {names}</source>
        <translation>没有词牌“{name}”；相近的有：{names}</translation>
    </message>
    <message>
        <source>Unknown tune pattern &quot;{name}&quot;; common ones: {names}</source>
        <translation>没有词牌“{name}”；常用的有：{names}</translation>
    </message>
    <message>
        <source>a theme: characters or words, e.g. 秋月</source>
        <translation>主题：几个字或词，例如 秋月</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Piano roll</source>
        <translation>钢琴卷帘</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>快速入门(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About Songloom</source>
        <translation>关于 Songloom(&amp;A)</translation>
    </message>
    <message>
        <source>Bundled music and lyrics models</source>
        <translation>内置的音乐与歌词模型</translation>
    </message>
    <message>
        <source>trained by Songloom; see their model cards</source>
        <translation>由 Songloom 训练；详见各自的模型卡</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>JSB chorales, OpenScore Lieder (CC0), public-domain poems</source>
        <translation>JSB 众赞歌、OpenScore 艺术歌曲（CC0）、公有领域诗歌</translation>
    </message>
    <message>
        <source>An offline songwriting studio: GAN music, GPT-2 lyrics, FluidSynth sound, MIDI out to your DAW. Everything runs on your computer.</source>
        <translation>离线的歌曲创作工作室：GAN 作曲、GPT-2 写词、FluidSynth 发声，MIDI 直送你的宿主软件（DAW）。一切都在你的电脑上运行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Licences&lt;/b&gt; of what Songloom ships:</source>
        <translation>Songloom 所含组件的&lt;b&gt;许可证&lt;/b&gt;：</translation>
    </message>
    <message>
        <source>About Songloom</source>
        <translation>关于 Songloom</translation>
    </message>
    <message>
        <source>The full licence texts are not bundled here: {exc}</source>
        <translation>此处未附带完整的许可证文本：{exc}</translation>
    </message>
    <message>
        <source>Songloom Help</source>
        <translation>Songloom 帮助</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <source>The help page {path} is not installed here.</source>
        <translation>帮助页面 {path} 未安装在此处。</translation>
    </message>
    <message>
        <source>{page} — Songloom Help</source>
        <translation>{page} —— Songloom 帮助</translation>
    </message>
    <message>
        <source>Not found: {path}</source>
        <translation>未找到：{path}</translation>
    </message>
    <message>
        <source>Click in the grid</source>
        <translation>在网格中单击</translation>
    </message>
    <message>
        <source>Draw a note (Draw tool); drag to set its length</source>
        <translation>画一个音符（绘制工具）；拖动设置时值</translation>
    </message>
    <message>
        <source>Right-click a note</source>
        <translation>右键单击音符</translation>
    </message>
    <message>
        <source>Delete it</source>
        <translation>删除该音符</translation>
    </message>
    <message>
        <source>Drag a note</source>
        <translation>拖动音符</translation>
    </message>
    <message>
        <source>Move it in time and pitch; drag its left or right end to resize</source>
        <translation>在时间和音高上移动；拖动左端或右端调整长度</translation>
    </message>
    <message>
        <source>Drag on empty grid</source>
        <translation>在空白网格上拖动</translation>
    </message>
    <message>
        <source>Select notes in a box (Select tool)</source>
        <translation>框选音符（选择工具）</translation>
    </message>
    <message>
        <source>Shift+click</source>
        <translation>Shift+单击</translation>
    </message>
    <message>
        <source>Add a note to the selection, or take it out</source>
        <translation>把音符加入选区，或从选区移除</translation>
    </message>
    <message>
        <source>Double-click an empty cell</source>
        <translation>双击空白格</translation>
    </message>
    <message>
        <source>Draw a note there (Select tool)</source>
        <translation>在该处画一个音符（选择工具）</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>滚轮</translation>
    </message>
    <message>
        <source>Scroll up and down</source>
        <translation>上下滚动</translation>
    </message>
    <message>
        <source>Shift+wheel</source>
        <translation>Shift+滚轮</translation>
    </message>
    <message>
        <source>Scroll sideways</source>
        <translation>左右滚动</translation>
    </message>
    <message>
        <source>Ctrl+wheel</source>
        <translation>Ctrl+滚轮</translation>
    </message>
    <message>
        <source>Zoom in time</source>
        <translation>水平（时间）缩放</translation>
    </message>
    <message>
        <source>Ctrl+Shift+wheel</source>
        <translation>Ctrl+Shift+滚轮</translation>
    </message>
    <message>
        <source>Taller or shorter rows</source>
        <translation>调整行高</translation>
    </message>
    <message>
        <source>Click a piano key</source>
        <translation>单击琴键</translation>
    </message>
    <message>
        <source>Hear the note</source>
        <translation>试听该音</translation>
    </message>
    <message>
        <source>Click the ruler</source>
        <translation>单击标尺</translation>
    </message>
    <message>
        <source>Move the playhead</source>
        <translation>移动播放头</translation>
    </message>
    <message>
        <source>Drag on the ruler</source>
        <translation>在标尺上拖动</translation>
    </message>
    <message>
        <source>Set the loop range</source>
        <translation>设置循环区间</translation>
    </message>
    <message>
        <source>Drag across the velocity lane</source>
        <translation>在力度栏上拖过</translation>
    </message>
    <message>
        <source>Set how hard the notes are played</source>
        <translation>设置音符的力度</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>轨道</translation>
    </message>
    <message>
        <source>Click a track</source>
        <translation>单击轨道</translation>
    </message>
    <message>
        <source>Edit that track in the piano roll</source>
        <translation>在钢琴卷帘中编辑该轨道</translation>
    </message>
    <message>
        <source>Double-click a track&apos;s name</source>
        <translation>双击轨道名</translation>
    </message>
    <message>
        <source>Rename it</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Drag a ⠿ MIDI handle</source>
        <translation>拖动 ⠿ MIDI 手柄</translation>
    </message>
    <message>
        <source>Drop the track, or the whole song, into your DAW as a MIDI file</source>
        <translation>把这条轨道或整首歌作为 MIDI 文件拖进你的宿主软件（DAW）</translation>
    </message>
    <message>
        <source>Right-click a ⠿ MIDI handle</source>
        <translation>右键单击 ⠿ MIDI 手柄</translation>
    </message>
    <message>
        <source>Copy the MIDI file, or show it in the file manager</source>
        <translation>复制 MIDI 文件，或在文件管理器中显示</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts — Songloom</source>
        <translation>键盘快捷键 —— Songloom</translation>
    </message>
</context>
<context>
    <name>Lyrics</name>
    <message>
        <source>no notes</source>
        <translation>没有音符</translation>
    </message>
    <message>
        <source>bar {first}</source>
        <translation>第 {first} 小节</translation>
    </message>
    <message>
        <source>bars {first}–{last}</source>
        <translation>第 {first}–{last} 小节</translation>
    </message>
    <message>
        <source>Rhyme</source>
        <translation>韵脚</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>歌词行</translation>
    </message>
    <message>
        <source>Syllables / notes</source>
        <translation>音节 / 音符</translation>
    </message>
    <message>
        <source>Phrase</source>
        <translation>乐句</translation>
    </message>
    <message>
        <source>The melody phrase each line is sung on (its bars). Phrases stay where they are when notes are edited; split or join them with the buttons.</source>
        <translation>每行歌词所唱的旋律乐句（所在小节）。编辑音符时乐句位置不变；可以用按钮拆分或合并乐句。</translation>
    </message>
    <message>
        <source>Add section</source>
        <translation>添加段落</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected line or section</source>
        <translation>删除所选的行或段落</translation>
    </message>
    <message>
        <source>Rewrite line…</source>
        <translation>重写此行…</translation>
    </message>
    <message>
        <source>Five new versions of the selected line to choose from, each fitting its syllables and rhyme; the other lines stay</source>
        <translation>为所选行给出五个新版本供选择，每个都符合音节数和押韵；其他行保持不变</translation>
    </message>
    <message>
        <source>Lock line</source>
        <translation>锁定此行</translation>
    </message>
    <message>
        <source>Keep the selected line when lyrics are generated; the others are written around it</source>
        <translation>生成歌词时保留所选行，其他行围绕它来写</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Keep the lines written so far and write the rest of the verse after them</source>
        <translation>保留已写好的行，接着写完这段主歌</translation>
    </message>
    <message>
        <source>Split phrase</source>
        <translation>拆分乐句</translation>
    </message>
    <message>
        <source>Split the selected line&apos;s melody phrase in two at its longest middle note (the lines after it move on by one phrase)</source>
        <translation>在所选行旋律乐句中间最长的音符处一分为二（后面的行顺延一个乐句）</translation>
    </message>
    <message>
        <source>Join phrases</source>
        <translation>合并乐句</translation>
    </message>
    <message>
        <source>Sing the selected line over its phrase and the next one together</source>
        <translation>把所选行唱在它的乐句和下一个乐句上</translation>
    </message>
    <message>
        <source>word</source>
        <translation>单词</translation>
    </message>
    <message>
        <source>Rhymes from the CMU Pronouncing Dictionary: common words and words close to the theme first</source>
        <translation>来自 CMU 英语发音词典的押韵词：常用词和贴近主题的词排在前面</translation>
    </message>
    <message>
        <source>Double-click: put this word at the end of the line</source>
        <translation>双击：把这个词放到行尾</translation>
    </message>
    <message>
        <source>Rhymes for</source>
        <translation>押韵词：</translation>
    </message>
    <message>
        <source>{count} / no phrase</source>
        <translation>{count} / 无乐句</translation>
    </message>
    <message>
        <source>The melody has no phrase left for this line</source>
        <translation>旋律已没有乐句留给这一行</translation>
    </message>
    <message>
        <source>{count} syllables sung on {target} melody notes</source>
        <translation>{count} 个音节（中文按字计）唱在 {target} 个旋律音符上</translation>
    </message>
    <message>
        <source>{index} lines, {mismatches} off the melody</source>
        <translation>{index} 行，{mismatches} 行与旋律不符</translation>
    </message>
    <message>
        <source>No lyrics yet</source>
        <translation>还没有歌词</translation>
    </message>
    <message>
        <source>Rename lyric section</source>
        <translation>重命名歌词段落</translation>
    </message>
    <message>
        <source>Edit lyric line</source>
        <translation>编辑歌词行</translation>
    </message>
    <message>
        <source>No new version of line {n} fits its syllables and rhyme; try again</source>
        <translation>第 {n} 行没有符合音节数和押韵的新版本；请再试一次</translation>
    </message>
    <message>
        <source>Rewrite line {n}</source>
        <translation>重写第 {n} 行</translation>
    </message>
    <message>
        <source>Add {section}</source>
        <translation>添加{section}</translation>
    </message>
    <message>
        <source>Add lyric line</source>
        <translation>添加歌词行</translation>
    </message>
    <message>
        <source>Delete lyric section</source>
        <translation>删除歌词段落</translation>
    </message>
    <message>
        <source>Delete lyric line</source>
        <translation>删除歌词行</translation>
    </message>
    <message>
        <source>Split phrase {n}</source>
        <translation>拆分第 {n} 个乐句</translation>
    </message>
    <message>
        <source>Join phrases {n} and {next}</source>
        <translation>合并第 {n} 和第 {next} 个乐句</translation>
    </message>
    <message>
        <source>Rhyme with “{word}”</source>
        <translation>与“{word}”押韵</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Music and lyrics generation will appear here.</source>
        <translation>音乐和歌词生成面板将显示在这里。</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Evaluation scores will appear here.</source>
        <translation>评估分数将显示在这里。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Lyrics appear here (write them in the lyrics panel).</source>
        <translation>歌词会显示在这里（请在歌词面板中编写）。</translation>
    </message>
    <message>
        <source>Compute: detecting…</source>
        <translation>计算设备：检测中…</translation>
    </message>
    <message>
        <source>Audio: starting…</source>
        <translation>音频：启动中…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Add Track</source>
        <translation>添加轨道</translation>
    </message>
    <message>
        <source>Duplicate Track</source>
        <translation>复制轨道</translation>
    </message>
    <message>
        <source>Remove Track</source>
        <translation>删除轨道</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Compute: {device}</source>
        <translation>计算设备：{device}</translation>
    </message>
    <message>
        <source>The new language takes effect when Songloom starts again</source>
        <translation>新的界面语言将在 Songloom 重新启动后生效</translation>
    </message>
</context>
<context>
    <name>Roll</name>
    <message>
        <source>Form</source>
        <translation>段落</translation>
    </message>
    <message>
        <source>Chords</source>
        <translation>和弦</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Vel</source>
        <translation>力度</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Draw: click to add a note, drag to set its length; right-click deletes</source>
        <translation>绘制：单击添加音符，拖动设置时值；右键删除</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Select: click or drag a box; drag notes to move, their ends to resize</source>
        <translation>选择：单击或拖出选框；拖动音符可移动，拖动两端可调整长度</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>吸附</translation>
    </message>
    <message>
        <source>Snap notes to the grid</source>
        <translation>音符吸附到网格</translation>
    </message>
    <message>
        <source>Other tracks</source>
        <translation>其他轨道</translation>
    </message>
    <message>
        <source>Show the other tracks&apos; notes faintly (ghost notes)</source>
        <translation>淡淡显示其他轨道的音符（幽灵音符）</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <source>Scroll with the playhead during playback</source>
        <translation>播放时随播放头滚动</translation>
    </message>
    <message>
        <source>Regenerate harmony/bass to follow</source>
        <translation>重新生成和声/贝斯以跟随</translation>
    </message>
    <message>
        <source>Write the harmony and bass again over the edited chords; the melody and the other tracks are kept</source>
        <translation>按修改后的和弦重写和声与贝斯；旋律和其他轨道保持不变</translation>
    </message>
    <message>
        <source>Showing {name}: outlined (Keep this take to use it)</source>
        <translation>正在显示{name}：空心轮廓（点“保留此版本”即可采用）</translation>
    </message>
    <message>
        <source>{name} is drawn as outlined notes over the song. The song itself is unchanged until you keep it.</source>
        <translation>{name}以空心音符叠加在歌曲上。在你保留之前，歌曲本身不会改变。</translation>
    </message>
    <message>
        <source>Select All Notes</source>
        <translation>全选音符</translation>
    </message>
    <message>
        <source>Delete Notes</source>
        <translation>删除音符</translation>
    </message>
    <message>
        <source>Duplicate Notes</source>
        <translation>复制音符</translation>
    </message>
    <message>
        <source>Transpose Up</source>
        <translation>升高半音</translation>
    </message>
    <message>
        <source>Transpose Down</source>
        <translation>降低半音</translation>
    </message>
    <message>
        <source>Octave Up</source>
        <translation>升高八度</translation>
    </message>
    <message>
        <source>Octave Down</source>
        <translation>降低八度</translation>
    </message>
    <message>
        <source>Nudge Later</source>
        <translation>向后微移</translation>
    </message>
    <message>
        <source>Nudge Earlier</source>
        <translation>向前微移</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Taller Rows</source>
        <translation>增加行高</translation>
    </message>
    <message>
        <source>Shorter Rows</source>
        <translation>减小行高</translation>
    </message>
    <message>
        <source>Fit Song</source>
        <translation>显示整首歌</translation>
    </message>
    <message>
        <source>Editing: {name} · {n} notes</source>
        <translation>正在编辑：{name} · {n} 个音符</translation>
    </message>
    <message>
        <source>No tracks: add one in the track list</source>
        <translation>没有轨道：请在轨道列表中添加</translation>
    </message>
    <message>
        <source>&lt;b&gt;An empty song.&lt;/b&gt;&lt;br&gt;Click in the grid to draw a note (drag to set its length).&lt;br&gt;Or press &lt;b&gt;Generate music&lt;/b&gt; in the Generate panel on the right, or open a song or MIDI file (File › Open, or drop it here).</source>
        <translation>&lt;b&gt;这是一首空白歌曲。&lt;/b&gt;&lt;br&gt;在网格中单击即可画音符（拖动设置时值）。&lt;br&gt;也可以在右侧“生成”面板中点击&lt;b&gt;生成音乐&lt;/b&gt;，或打开歌曲或 MIDI 文件（文件 › 打开，或直接拖到这里）。</translation>
    </message>
    <message>
        <source>Sections: double-click to change one&apos;s kind, right-click to add, remove or resize</source>
        <translation>段落：双击更改段落类型，右键添加、删除或调整长度</translation>
    </message>
    <message>
        <source>Change Section to {kind}</source>
        <translation>将段落改为{kind}</translation>
    </message>
    <message>
        <source>No sections: right-click to add one</source>
        <translation>没有段落：右键添加</translation>
    </message>
    <message>
        <source>Add Section Here</source>
        <translation>在此添加段落</translation>
    </message>
    <message>
        <source>Change to</source>
        <translation>改为</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>One Bar Longer</source>
        <translation>加长一小节</translation>
    </message>
    <message>
        <source>One Bar Shorter</source>
        <translation>缩短一小节</translation>
    </message>
    <message>
        <source>Remove Section</source>
        <translation>删除段落</translation>
    </message>
    <message>
        <source>Add {kind}</source>
        <translation>添加{kind}</translation>
    </message>
    <message>
        <source>Remove {kind}</source>
        <translation>删除{kind}</translation>
    </message>
    <message>
        <source>Resize {kind}</source>
        <translation>调整{kind}长度</translation>
    </message>
    <message>
        <source>Chords: double-click to type another, as a name (Am, F#m7, Bb/D) or a Roman numeral (vi, V7)</source>
        <translation>和弦：双击输入新的和弦，可写和弦名（Am、F#m7、Bb/D）或罗马数字级数（vi、V7）</translation>
    </message>
    <message>
        <source>type a chord name (Am, F#m7) or a Roman numeral (vi, V7)</source>
        <translation>请输入和弦名（Am、F#m7）或罗马数字级数（vi、V7）</translation>
    </message>
    <message>
        <source>Chord {name}</source>
        <translation>和弦 {name}</translation>
    </message>
    <message>
        <source>No chords: generated songs bring theirs</source>
        <translation>没有和弦：生成的歌曲会自带和弦</translation>
    </message>
    <message>
        <source>Edit Chord…</source>
        <translation>编辑和弦…</translation>
    </message>
    <message>
        <source>Show Roman Numerals</source>
        <translation>显示罗马数字级数</translation>
    </message>
    <message>
        <source>{name} ({roman}): double-click to change</source>
        <translation>{name}（{roman}）：双击修改</translation>
    </message>
    <message>
        <source>Click a key to hear it</source>
        <translation>单击琴键试听</translation>
    </message>
    <message>
        <source>Lyrics: each syllable under the note it is sung on</source>
        <translation>歌词：每个音节（字）显示在它所唱的音符下方</translation>
    </message>
    <message>
        <source>Click: move the playhead. Drag: set the loop.</source>
        <translation>单击：移动播放头。拖动：设置循环区间。</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>删除音符</translation>
    </message>
    <message>
        <source>Draw note</source>
        <translation>绘制音符</translation>
    </message>
    <message>
        <source>Move notes</source>
        <translation>移动音符</translation>
    </message>
    <message>
        <source>Resize notes</source>
        <translation>调整音符长度</translation>
    </message>
    <message>
        <source>Delete notes</source>
        <translation>删除音符</translation>
    </message>
    <message>
        <source>Duplicate notes</source>
        <translation>复制音符</translation>
    </message>
    <message>
        <source>Transpose</source>
        <translation>移调</translation>
    </message>
    <message>
        <source>Nudge</source>
        <translation>微移</translation>
    </message>
    <message>
        <source>Velocity: drag across the stems to set how hard notes are played</source>
        <translation>力度：在竖线上拖过即可设置音符力度</translation>
    </message>
    <message>
        <source>Change velocity</source>
        <translation>修改力度</translation>
    </message>
    <message>
        <source>1/8 triplet</source>
        <translation>1/8 三连音</translation>
    </message>
    <message>
        <source>1/16 triplet</source>
        <translation>1/16 三连音</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>Scores</name>
    <message>
        <source>semitones</source>
        <translation>半音</translation>
    </message>
    <message>
        <source>bits</source>
        <translation>比特</translation>
    </message>
    <message>
        <source>intervals</source>
        <translation>个音程</translation>
    </message>
    <message>
        <source>words</source>
        <translation>个词</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>个字</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{label}, {unit}</source>
        <translation>{label}（{unit}）</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>Harmony</source>
        <translation>和声</translation>
    </message>
    <message>
        <source>Bass</source>
        <translation>贝斯</translation>
    </message>
    <message>
        <source>Drums</source>
        <translation>鼓</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Better: close to the reference (the training data&apos;s value).</source>
        <translation>越接近参考值（训练数据的值）越好。</translation>
    </message>
    <message>
        <source>Empty bars</source>
        <translation>空小节</translation>
    </message>
    <message>
        <source>Fraction of bars with no note in this track (Dong et al. 2018, MuseGAN).</source>
        <translation>本轨中没有音符的小节比例（Dong 等，2018，MuseGAN）。</translation>
    </message>
    <message>
        <source>Pitch classes / bar</source>
        <translation>每小节音级数</translation>
    </message>
    <message>
        <source>Used pitch classes per bar, 0-12 (MuseGAN).</source>
        <translation>每小节用到的音级数，0-12（MuseGAN）。</translation>
    </message>
    <message>
        <source>Qualified notes</source>
        <translation>合格音符</translation>
    </message>
    <message>
        <source>Fraction of notes at least an eighth note long, not fragments (MuseGAN).</source>
        <translation>时值至少为八分音符、不是碎音的音符比例（MuseGAN）。</translation>
    </message>
    <message>
        <source>Better: higher, up to the reference.</source>
        <translation>越高越好，以参考值为上限。</translation>
    </message>
    <message>
        <source>Drum pattern</source>
        <translation>鼓型</translation>
    </message>
    <message>
        <source>Fraction of drum notes on an 8th/16th grid (MuseGAN).</source>
        <translation>落在八分/十六分网格上的鼓音符比例（MuseGAN）。</translation>
    </message>
    <message>
        <source>Better: high; 0.9 or more for straight pop, rock and electronic grooves.</source>
        <translation>越高越好；直拍的流行、摇滚和电子律动应在 0.9 以上。</translation>
    </message>
    <message>
        <source>Tonal distance</source>
        <translation>调性距离</translation>
    </message>
    <message>
        <source>Harmonic distance between two tracks in tonal space (Harte et al. 2006).</source>
        <translation>两条轨道在调性空间中的和声距离（Harte 等，2006）。</translation>
    </message>
    <message>
        <source>Better: lower means the tracks agree harmonically; close to the reference.</source>
        <translation>越低说明各轨和声越协调；接近参考值为佳。</translation>
    </message>
    <message>
        <source>In scale</source>
        <translation>调内音</translation>
    </message>
    <message>
        <source>Fraction of notes in the song&apos;s key.</source>
        <translation>属于歌曲调性的音符比例。</translation>
    </message>
    <message>
        <source>Better: higher.</source>
        <translation>越高越好。</translation>
    </message>
    <message>
        <source>Pitch-class entropy</source>
        <translation>音级熵</translation>
    </message>
    <message>
        <source>Entropy of the pitch-class histogram, bits (muspy).</source>
        <translation>音级直方图的熵，单位比特（muspy）。</translation>
    </message>
    <message>
        <source>Polyphony</source>
        <translation>复音度</translation>
    </message>
    <message>
        <source>Fraction of time steps sounding more than one pitch.</source>
        <translation>同时发出多个音高的时间步比例。</translation>
    </message>
    <message>
        <source>Pitch range</source>
        <translation>音域</translation>
    </message>
    <message>
        <source>Highest minus lowest pitch, semitones, per phrase (muspy).</source>
        <translation>每个乐句最高音与最低音之差，单位半音（muspy）。</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>音区</translation>
    </message>
    <message>
        <source>Mean MIDI pitch of the track&apos;s sounding notes (60 = middle C).</source>
        <translation>本轨发声音符的平均 MIDI 音高（60 = 中央 C）。</translation>
    </message>
    <message>
        <source>Pitch interval</source>
        <translation>音程跨度</translation>
    </message>
    <message>
        <source>Mean leap between consecutive notes of the top line, semitones (Yang &amp; Lerch 2020).</source>
        <translation>最高声部相邻音符之间的平均跳进，单位半音（Yang 与 Lerch，2020）。</translation>
    </message>
    <message>
        <source>BLEU</source>
        <translation>BLEU</translation>
    </message>
    <message>
        <source>Word n-gram overlap with the reference text (Papineni et al. 2002, sacrebleu).</source>
        <translation>与参考文本的词 n 元组重合度（Papineni 等，2002，sacrebleu；中文按字切分）。</translation>
    </message>
    <message>
        <source>Better: higher when you want to stay close to the reference.</source>
        <translation>想贴近参考文本时，越高越好。</translation>
    </message>
    <message>
        <source>chrF</source>
        <translation>chrF</translation>
    </message>
    <message>
        <source>Character n-gram F-score against the reference (Popović 2015).</source>
        <translation>与参考文本的字符 n 元组 F 值（Popović，2015）。</translation>
    </message>
    <message>
        <source>Self-BLEU (drafts)</source>
        <translation>Self-BLEU（草稿间）</translation>
    </message>
    <message>
        <source>BLEU of each lyric draft of this session against the others (Zhu et al. 2018).</source>
        <translation>本次会话中每份歌词草稿相对其他草稿的 BLEU（Zhu 等，2018）。</translation>
    </message>
    <message>
        <source>Better: lower means more diverse drafts.</source>
        <translation>越低说明草稿越多样。</translation>
    </message>
    <message>
        <source>Distinct-1</source>
        <translation>Distinct-1</translation>
    </message>
    <message>
        <source>Unique words / all words (Li et al. 2016).</source>
        <translation>不重复的词 / 全部词（Li 等，2016）。</translation>
    </message>
    <message>
        <source>Better: higher means more varied words.</source>
        <translation>越高说明用词越丰富。</translation>
    </message>
    <message>
        <source>Distinct-2</source>
        <translation>Distinct-2</translation>
    </message>
    <message>
        <source>Unique word pairs / all pairs (Li et al. 2016).</source>
        <translation>不重复的相邻词对 / 全部词对（Li 等，2016）。</translation>
    </message>
    <message>
        <source>Better: higher means more varied phrasing.</source>
        <translation>越高说明措辞越多变。</translation>
    </message>
    <message>
        <source>Syllable fit</source>
        <translation>音节贴合度</translation>
    </message>
    <message>
        <source>Fraction of lines whose syllables fit the melody&apos;s notes (±1).</source>
        <translation>音节数与旋律音符数相符（±1）的行所占比例。</translation>
    </message>
    <message>
        <source>Rhyme adherence</source>
        <translation>押韵达成率</translation>
    </message>
    <message>
        <source>Fraction of the scheme&apos;s rhyme pairs that rhyme (CMU dictionary).</source>
        <translation>韵式要求的韵脚对中真正押韵的比例（CMU 词典）。</translation>
    </message>
    <message>
        <source>Line-length fit</source>
        <translation>句长贴合度</translation>
    </message>
    <message>
        <source>Fraction of lines with exactly the characters of their pattern line or melody phrase (one character per note).</source>
        <translation>字数与词牌句式或旋律乐句完全相符的句子比例（一字一音）。</translation>
    </message>
    <message>
        <source>Fraction of the rhyming lines whose last character&apos;s pinyin final is in their rhyme group (中华新韵).</source>
        <translation>韵句中句末字的拼音韵母属于该韵部（中华新韵）的比例。</translation>
    </message>
    <message>
        <source>Tone fit (平仄)</source>
        <translation>平仄相合度</translation>
    </message>
    <message>
        <source>Fraction of the tune pattern&apos;s firm level/oblique positions the lines follow.</source>
        <translation>词牌中平仄固定的位置被遵循的比例。</translation>
    </message>
    <message>
        <source>Character n-gram overlap with the reference text (sacrebleu, Chinese tokenizer).</source>
        <translation>与参考文本的字 n 元组重合度（sacrebleu，中文分词器）。</translation>
    </message>
    <message>
        <source>Longest shared characters</source>
        <translation>最长相同字串</translation>
    </message>
    <message>
        <source>Longest run of characters shared with the Chinese model&apos;s training texts (0: none longer than 5).</source>
        <translation>与中文模型训练文本相同的最长连续字串（0：没有超过 5 个字的）。</translation>
    </message>
    <message>
        <source>Lines sharing over 5 characters</source>
        <translation>与训练文本相同超过 5 字的句子</translation>
    </message>
    <message>
        <source>Lines with a run of more than 5 characters found in the training texts.</source>
        <translation>含有超过 5 个字的连续字串出现在训练文本中的句子数。</translation>
    </message>
    <message>
        <source>Copied lines</source>
        <translation>照搬的句子</translation>
    </message>
    <message>
        <source>Lines that are whole lines of the training texts (a famous line copied).</source>
        <translation>与训练文本整句相同的句子数（照搬名句）。</translation>
    </message>
    <message>
        <source>Longest shared words</source>
        <translation>最长重合词串</translation>
    </message>
    <message>
        <source>Longest run of words shared with the lyric model&apos;s training texts.</source>
        <translation>与歌词模型训练文本相同的最长连续词串。</translation>
    </message>
    <message>
        <source>Better: lower means nothing was copied.</source>
        <translation>越低说明没有照抄。</translation>
    </message>
    <message>
        <source>Longest shared melody run</source>
        <translation>最长重合旋律</translation>
    </message>
    <message>
        <source>Longest run of melody intervals shared with any training phrase.</source>
        <translation>与任一训练乐句相同的最长连续音程串。</translation>
    </message>
    <message>
        <source>Better: lower means less copied.</source>
        <translation>越低说明抄袭越少。</translation>
    </message>
    <message>
        <source>Near-copied phrases</source>
        <translation>近似照抄的乐句</translation>
    </message>
    <message>
        <source>Fraction of 4-bar phrases that nearly copy a training phrase.</source>
        <translation>几乎照抄训练乐句的 4 小节乐句比例。</translation>
    </message>
    <message>
        <source>Better: 0.</source>
        <translation>最好为 0。</translation>
    </message>
    <message>
        <source>Phrases checked</source>
        <translation>已检查乐句</translation>
    </message>
    <message>
        <source>4-bar melody phrases checked for copying.</source>
        <translation>检查过是否照抄的 4 小节旋律乐句数。</translation>
    </message>
    <message>
        <source>A count, not a score.</source>
        <translation>这是计数，不是分数。</translation>
    </message>
    <message>
        <source>Syllables per line</source>
        <translation>每行音节数</translation>
    </message>
    <message>
        <source>Mean sung syllables per line.</source>
        <translation>每行平均演唱音节数（中文按字计）。</translation>
    </message>
    <message>
        <source>Compare with the melody&apos;s notes per phrase.</source>
        <translation>可与旋律每个乐句的音符数对照。</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Number of lyric lines scored.</source>
        <translation>参与评分的歌词行数。</translation>
    </message>
    <message>
        <source>Mel-cepstral distance</source>
        <translation>梅尔倒谱距离</translation>
    </message>
    <message>
        <source>Distance of the MFCCs of the two audio clips after DTW alignment, dB (Kubichek 1993).</source>
        <translation>两段音频经 DTW 对齐后 MFCC 之间的距离，单位 dB（Kubichek，1993）。</translation>
    </message>
    <message>
        <source>Better: lower means it sounds more alike.</source>
        <translation>越低说明听起来越像。</translation>
    </message>
    <message>
        <source>songs {value}</source>
        <translation>曲库 {value}</translation>
    </message>
    <message>
        <source>Score now</source>
        <translation>立即评分</translation>
    </message>
    <message>
        <source>Compute the scores of the current song and lyrics</source>
        <translation>计算当前歌曲和歌词的评分</translation>
    </message>
    <message>
        <source>Scores appear after each generation</source>
        <translation>每次生成后会显示评分</translation>
    </message>
    <message>
        <source>Music: song vs. training songs</source>
        <translation>音乐：本曲 vs. 训练曲库</translation>
    </message>
    <message>
        <source>Each value: this song&apos;s on top, the training songs&apos; under it; the bar shows the song (blue) against them (orange).</source>
        <translation>每项数值：上面是本曲，下面是训练曲库；条形图以蓝色表示本曲、橙色表示曲库。</translation>
    </message>
    <message>
        <source>Generate or score a song to see its music scores.</source>
        <translation>生成或评分一首歌即可看到音乐评分。</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Reference text…</source>
        <translation>参考文本…</translation>
    </message>
    <message>
        <source>Your own lyrics or an earlier draft, for BLEU and chrF</source>
        <translation>你自己的歌词或以前的草稿，用于 BLEU 和 chrF</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>比较对象…</translation>
    </message>
    <message>
        <source>Mel-cepstral distance of the song&apos;s sound to a WAV or MIDI</source>
        <translation>歌曲声音与某个 WAV 或 MIDI 之间的梅尔倒谱距离</translation>
    </message>
    <message>
        <source>MCD: —</source>
        <translation>MCD：—</translation>
    </message>
    <message>
        <source>Tonal distance between parts</source>
        <translation>声部间的调性距离</translation>
    </message>
    <message>
        <source>Originality of the melody</source>
        <translation>旋律原创度</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参考</translation>
    </message>
    <message>
        <source>MCD vs {name}: {value:.2f} dB</source>
        <translation>与 {name} 的 MCD：{value:.2f} dB</translation>
    </message>
    <message>
        <source>Reference lyrics</source>
        <translation>参考歌词</translation>
    </message>
    <message>
        <source>Text (*.txt *.lrc);;All files (*)</source>
        <translation>文本 (*.txt *.lrc);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reference sound</source>
        <translation>参考声音</translation>
    </message>
    <message>
        <source>Audio or MIDI (*.wav *.flac *.mid *.midi *.kar)</source>
        <translation>音频或 MIDI (*.wav *.flac *.mid *.midi *.kar)</translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <source>Intro</source>
        <translation>前奏</translation>
    </message>
    <message>
        <source>Verse</source>
        <translation>主歌</translation>
    </message>
    <message>
        <source>Pre-chorus</source>
        <translation>导歌</translation>
    </message>
    <message>
        <source>Chorus</source>
        <translation>副歌</translation>
    </message>
    <message>
        <source>Bridge</source>
        <translation>桥段</translation>
    </message>
    <message>
        <source>Outro</source>
        <translation>尾奏</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Songloom Settings</source>
        <translation>Songloom 设置</translation>
    </message>
    <message>
        <source>Bundled SoundFont (FluidR3 Mono GM)</source>
        <translation>内置音色库（FluidR3 Mono GM）</translation>
    </message>
    <message>
        <source>SoundFonts (*.sf2 *.sf3)</source>
        <translation>音色库 SoundFont (*.sf2 *.sf3)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Where Songloom plays; applied at once</source>
        <translation>Songloom 的播放设备；立即生效</translation>
    </message>
    <message>
        <source>Automatic (GPU when present)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
    <message>
        <source>Bundled music model</source>
        <translation>内置音乐模型</translation>
    </message>
    <message>
        <source>Bundled lyrics model</source>
        <translation>内置歌词模型</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Takes effect after a restart</source>
        <translation>重启后生效</translation>
    </message>
    <message>
        <source>SoundFont</source>
        <translation>音色库</translation>
    </message>
    <message>
        <source>Audio output</source>
        <translation>音频输出</translation>
    </message>
    <message>
        <source>Compute device</source>
        <translation>计算设备</translation>
    </message>
    <message>
        <source>Music model folder</source>
        <translation>音乐模型文件夹</translation>
    </message>
    <message>
        <source>Lyrics model folder</source>
        <translation>歌词模型文件夹</translation>
    </message>
    <message>
        <source>Autosave every</source>
        <translation>自动保存间隔</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>{name} (not connected)</source>
        <translation>{name}（未连接）</translation>
    </message>
</context>
<context>
    <name>Tracks</name>
    <message>
        <source>melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>harmony</source>
        <translation>和声</translation>
    </message>
    <message>
        <source>bass</source>
        <translation>贝斯</translation>
    </message>
    <message>
        <source>drums</source>
        <translation>鼓</translation>
    </message>
    <message>
        <source>Track colour</source>
        <translation>轨道颜色</translation>
    </message>
    <message>
        <source>Double-click to rename (the name goes into exported MIDI files)</source>
        <translation>双击重命名（名称会写入导出的 MIDI 文件）</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Solo</source>
        <translation>独奏</translation>
    </message>
    <message>
        <source>Unsolo</source>
        <translation>取消独奏</translation>
    </message>
    <message>
        <source>General MIDI instrument (a drum track: its drum kit)</source>
        <translation>GM 音色（鼓轨：鼓组）</translation>
    </message>
    <message>
        <source>{number:03d} Kit {number}</source>
        <translation>{number:03d} 鼓组 {number}</translation>
    </message>
    <message>
        <source>{name}: {role}, {n} notes, MIDI channel {channel}. Click to edit it in the piano roll.</source>
        <translation>{name}：{role}，{n} 个音符，MIDI 通道 {channel}。单击即可在钢琴卷帘中编辑。</translation>
    </message>
    <message>
        <source>Rename track to</source>
        <translation>轨道重命名为</translation>
    </message>
    <message>
        <source> kit</source>
        <translation> 鼓组</translation>
    </message>
    <message>
        <source>Drum kit {name} for</source>
        <translation>鼓组改为 {name}：</translation>
    </message>
    <message>
        <source>Instrument {name} for</source>
        <translation>音色改为 {name}：</translation>
    </message>
    <message>
        <source>Colour of</source>
        <translation>更改颜色：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tracks&lt;/b&gt;</source>
        <translation>&lt;b&gt;轨道&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Whole song:</source>
        <translation>整首歌：</translation>
    </message>
    <message>
        <source>+ Track</source>
        <translation>+ 轨道</translation>
    </message>
    <message>
        <source>Add an empty track</source>
        <translation>添加一条空轨道</translation>
    </message>
    <message>
        <source>− Track</source>
        <translation>− 轨道</translation>
    </message>
    <message>
        <source>Remove the selected track (undoable)</source>
        <translation>删除所选轨道（可撤销）</translation>
    </message>
    <message>
        <source>Track {n}</source>
        <translation>轨道 {n}</translation>
    </message>
    <message>
        <source>Add track</source>
        <translation>添加轨道</translation>
    </message>
    <message>
        <source>Remove track {name}</source>
        <translation>删除轨道 {name}</translation>
    </message>
    <message>
        <source> copy</source>
        <translation> 副本</translation>
    </message>
    <message>
        <source>Duplicate track</source>
        <translation>复制轨道</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <source>Audio: {status}</source>
        <translation>音频：{status}</translation>
    </message>
    <message>
        <source>No audio output: the PortAudio library is not installed</source>
        <translation>没有音频输出：未安装 PortAudio 库</translation>
    </message>
    <message>
        <source>No audio output: the sounddevice package is not installed</source>
        <translation>没有音频输出：未安装 sounddevice 包</translation>
    </message>
    <message>
        <source>No audio output device found</source>
        <translation>找不到音频输出设备</translation>
    </message>
    <message>
        <source>major</source>
        <translation>大调</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>小调</translation>
    </message>
    <message>
        <source>Audio: starting…</source>
        <translation>音频：启动中…</translation>
    </message>
    <message>
        <source>Audio: playback is not installed (core.audio.player missing)</source>
        <translation>音频：未安装播放组件（缺少 core.audio.player）</translation>
    </message>
    <message>
        <source>Audio: off ({exc})</source>
        <translation>音频：已关闭（{exc}）</translation>
    </message>
    <message>
        <source>no output device</source>
        <translation>没有输出设备</translation>
    </message>
    <message>
        <source>Audio: ready</source>
        <translation>音频：就绪</translation>
    </message>
    <message>
        <source>Audio: cannot play this song ({exc})</source>
        <translation>音频：无法播放这首歌（{exc}）</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>走带控制</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Play / stop (Space)</source>
        <translation>播放 / 停止（空格）</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <source>Stop and go back to the start (Home)</source>
        <translation>停止并回到开头（Home）</translation>
    </message>
    <message>
        <source>⟲ Loop</source>
        <translation>⟲ 循环</translation>
    </message>
    <message>
        <source>Loop the range dragged on the ruler (L)</source>
        <translation>循环播放在标尺上拖出的区间（L）</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Key: its scale rows are highlighted in the piano roll</source>
        <translation>调性：钢琴卷帘中会高亮其音阶行</translation>
    </message>
    <message>
        <source>Time signature</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>Position: bar.beat and minutes:seconds</source>
        <translation>位置：小节.拍 与 分:秒</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调性</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>Key: {key}</source>
        <translation>调性：{key}</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>Tempo {bpm:g} BPM</source>
        <translation>速度 {bpm:g} BPM</translation>
    </message>
    <message>
        <source>Key {key}</source>
        <translation>调性 {key}</translation>
    </message>
    <message>
        <source>Time signature {n}/{d}</source>
        <translation>拍号 {n}/{d}</translation>
    </message>
    <message>
        <source>Cannot play: {reason}</source>
        <translation>无法播放：{reason}</translation>
    </message>
</context>
</TS>
